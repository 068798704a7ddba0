-- expect: COLUMN_RENAME
ALTER TABLE lint_users RENAME COLUMN email TO mail;
