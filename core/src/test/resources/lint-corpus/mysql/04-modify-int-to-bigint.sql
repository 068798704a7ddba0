-- expect: TYPE_CHANGE_IN_PLACE
-- online: no
ALTER TABLE lint_users MODIFY tier bigint;
