-- expect: TABLE_REBUILD
-- rewrite: yes
VACUUM (FULL, VERBOSE) lint_users;
