-- expect: BLOCKING_LOCK
ALTER TABLE lint_users ADD INDEX lint_users_email_idx (email), LOCK = SHARED;
