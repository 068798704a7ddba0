-- expect: TYPE_CHANGE_IN_PLACE
-- rewrite: yes
-- lock: lint_users AccessExclusiveLock
ALTER TABLE lint_users ALTER COLUMN tier TYPE bigint;
