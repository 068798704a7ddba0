-- expect: VOLATILE_DEFAULT
-- rewrite: yes
ALTER TABLE lint_users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();
