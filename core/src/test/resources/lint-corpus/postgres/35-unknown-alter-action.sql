-- expect: UNPARSED
-- setup: CREATE TABLE lint_parent (id bigint)
ALTER TABLE lint_users INHERIT lint_parent;
