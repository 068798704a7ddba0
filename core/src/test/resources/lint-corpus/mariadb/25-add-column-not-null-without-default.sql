-- The server fills existing rows with the type's implicit default, but inserts of running
-- instances that do not write the column fail.
-- expect: NOT_NULL_WITHOUT_CHECK
-- online: yes
ALTER TABLE lint_users ADD COLUMN plan int NOT NULL;
