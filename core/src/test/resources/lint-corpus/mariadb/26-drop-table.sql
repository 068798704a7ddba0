-- expect: TABLE_DROP
DROP TABLE IF EXISTS lint_orders;
