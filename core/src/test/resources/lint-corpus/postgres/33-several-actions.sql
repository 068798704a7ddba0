-- expect: NOT_NULL_WITHOUT_CHECK@6, COLUMN_DROP@7
-- error: 23502
ALTER TABLE lint_users
    ADD COLUMN nickname_normalized text,
    ALTER COLUMN tier SET DEFAULT 0,
    ADD COLUMN plan int NOT NULL,
    DROP COLUMN legacy;
