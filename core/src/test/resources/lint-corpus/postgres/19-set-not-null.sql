-- expect: NOT_NULL_WITHOUT_CHECK
-- rewrite: no
-- lock: lint_users AccessExclusiveLock
ALTER TABLE lint_users ALTER COLUMN email SET NOT NULL;
