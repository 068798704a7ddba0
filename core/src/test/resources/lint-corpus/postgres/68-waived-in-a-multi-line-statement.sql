-- expect: COLUMN_DROP@6
-- waived: COLUMN_DROP
ALTER TABLE lint_users
    -- flagway:allow COLUMN_DROP legacy was never read
    DROP COLUMN legacy,
    DROP COLUMN nickname;
