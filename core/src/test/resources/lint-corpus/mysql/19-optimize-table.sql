-- expect: TABLE_REBUILD
OPTIMIZE TABLE lint_users;
