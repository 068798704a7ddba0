-- expect: TABLE_RENAME
ALTER TABLE lint_users RENAME TO lint_customers;
