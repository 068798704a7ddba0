-- expect: TABLE_REBUILD
-- online: yes
ALTER TABLE lint_users FORCE;
