-- expect: safe
-- setup: CREATE UNIQUE INDEX CONCURRENTLY lint_users_email_key ON lint_users (email)
-- lock: lint_users AccessExclusiveLock
ALTER TABLE lint_users ADD CONSTRAINT lint_users_email_key UNIQUE USING INDEX lint_users_email_key;
