-- MODIFY restates the whole column, so the linter cannot tell a widening from a type change;
-- this one happens to be online (waive it with that reason).
-- expect: TYPE_CHANGE_IN_PLACE
-- online: yes
ALTER TABLE lint_users MODIFY COLUMN email varchar(200);
