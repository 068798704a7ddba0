-- expect: safe
-- rewrite: no
ALTER TABLE lint_users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
