-- expect: BLOCKING_LOCK
-- online: no
CREATE FULLTEXT INDEX lint_users_bio_ft ON lint_users (bio);
