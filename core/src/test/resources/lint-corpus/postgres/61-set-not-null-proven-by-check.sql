-- A validated CHECK (email IS NOT NULL) lets PostgreSQL 12+ set NOT NULL without scanning the table.
-- expect: safe
-- rewrite: no
-- lock: lint_users AccessExclusiveLock
ALTER TABLE lint_users ADD CONSTRAINT lint_users_email_nn CHECK (email IS NOT NULL) NOT VALID;
COMMIT;
ALTER TABLE lint_users VALIDATE CONSTRAINT lint_users_email_nn;
ALTER TABLE lint_users ALTER COLUMN email SET NOT NULL;
