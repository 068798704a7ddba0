-- expect: UNIQUE_CONSTRAINT
-- lock: lint_users AccessExclusiveLock
ALTER TABLE lint_users ADD CONSTRAINT lint_users_email_key UNIQUE (email);
