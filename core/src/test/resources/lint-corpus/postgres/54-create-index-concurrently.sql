-- expect: safe
-- rewrite: no
CREATE INDEX CONCURRENTLY IF NOT EXISTS lint_users_email_idx ON lint_users (email) WHERE email IS NOT NULL;
