-- expect: COLUMN_DROP
-- online: yes
ALTER TABLE lint_users DROP COLUMN legacy;
