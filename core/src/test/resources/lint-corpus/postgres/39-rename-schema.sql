-- Renaming a schema renames every table in it for the instances that qualify their names.
-- expect: TABLE_RENAME
-- setup: CREATE SCHEMA lint_renamed
ALTER SCHEMA lint_renamed RENAME TO lint_renamed_too;
