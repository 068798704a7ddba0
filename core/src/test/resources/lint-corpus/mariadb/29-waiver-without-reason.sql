-- expect: INVALID_WAIVER@2, COLUMN_DROP@3
-- flagway:allow COLUMN_DROP
ALTER TABLE lint_users DROP COLUMN legacy;
