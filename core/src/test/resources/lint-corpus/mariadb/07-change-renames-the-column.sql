-- expect: TYPE_CHANGE_IN_PLACE, COLUMN_RENAME
-- online: yes
ALTER TABLE lint_users CHANGE COLUMN email mail varchar(100);
