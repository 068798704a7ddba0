-- pg_dump writes sequence defaults this way; jOOQ 3.19 cannot read the ::regclass inside the call,
-- so the linter judges the default by the function it calls.
-- expect: VOLATILE_DEFAULT
-- setup: CREATE SEQUENCE lint_ref_seq
-- rewrite: yes
ALTER TABLE lint_users ADD COLUMN ref bigint DEFAULT nextval('lint_ref_seq'::regclass);
