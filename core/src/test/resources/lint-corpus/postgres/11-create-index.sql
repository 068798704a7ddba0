-- expect: NON_CONCURRENT_INDEX
-- rewrite: no
-- lock: lint_users ShareLock
CREATE INDEX lint_users_email_idx ON lint_users (email);
