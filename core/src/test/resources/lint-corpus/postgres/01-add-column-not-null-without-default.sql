-- expect: NOT_NULL_WITHOUT_CHECK
-- error: 23502
ALTER TABLE lint_users ADD COLUMN plan int NOT NULL;
