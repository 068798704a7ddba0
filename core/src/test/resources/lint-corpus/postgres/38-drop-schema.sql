-- expect: TABLE_DROP
-- setup: CREATE SCHEMA lint_doomed
-- setup: CREATE TABLE lint_doomed.lint_archive (id bigint)
DROP SCHEMA IF EXISTS lint_doomed CASCADE;
