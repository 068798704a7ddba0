-- expect: TABLE_DROP
DROP TABLE lint_orders;
