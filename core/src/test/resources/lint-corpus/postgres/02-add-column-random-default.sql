-- expect: VOLATILE_DEFAULT
-- rewrite: yes
ALTER TABLE lint_users ADD COLUMN ab_group float8 DEFAULT random();
