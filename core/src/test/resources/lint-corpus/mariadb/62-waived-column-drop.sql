-- expect: safe
-- online: yes
-- waived: COLUMN_DROP
ALTER TABLE lint_users DROP COLUMN legacy; -- flagway:allow COLUMN_DROP contract of users-legacy, gate passed
