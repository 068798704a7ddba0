-- expect: COLUMN_RENAME
-- online: yes
ALTER TABLE lint_users RENAME COLUMN email TO mail;
