-- expect: safe
-- rewrite: no
-- lock: lint_users AccessExclusiveLock
ALTER TABLE lint_users ADD COLUMN email_normalized varchar(320);
