-- expect: NON_CONCURRENT_INDEX
-- lock: lint_users ShareLock
CREATE UNIQUE INDEX IF NOT EXISTS lint_users_email_key ON lint_users USING btree (lower(email));
