-- expect: BLOCKING_LOCK
-- online: no
ALTER TABLE lint_users ADD FULLTEXT INDEX lint_users_bio_ft (bio);
