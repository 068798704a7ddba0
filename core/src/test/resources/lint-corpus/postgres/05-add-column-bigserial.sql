-- expect: TABLE_REBUILD
-- rewrite: yes
ALTER TABLE lint_users ADD COLUMN seq bigserial;
