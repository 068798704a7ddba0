-- expect: TABLE_REBUILD
-- rewrite: yes
CLUSTER lint_users USING lint_users_pkey;
