-- expect: TABLE_RENAME
ALTER TABLE lint_orders SET SCHEMA public;
