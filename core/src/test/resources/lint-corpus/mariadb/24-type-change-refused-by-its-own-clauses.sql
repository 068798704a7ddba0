-- LOCK=NONE makes the server refuse what it cannot do online: the type change fails at once
-- instead of blocking writes, but it is still a type change.
-- expect: TYPE_CHANGE_IN_PLACE
-- online: refused
ALTER TABLE lint_users MODIFY tier bigint, ALGORITHM=INPLACE, LOCK=NONE;
