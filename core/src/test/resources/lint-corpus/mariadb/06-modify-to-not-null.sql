-- expect: TYPE_CHANGE_IN_PLACE
-- online: yes
ALTER TABLE lint_users MODIFY email varchar(100) NOT NULL;
