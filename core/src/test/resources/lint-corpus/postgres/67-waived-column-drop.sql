-- expect: safe
-- waived: COLUMN_DROP
-- flagway:allow COLUMN_DROP contract of migration users-legacy: the gate passed
ALTER TABLE lint_users DROP COLUMN legacy;
