-- expect: TABLE_RENAME
RENAME TABLE lint_orders TO lint_purchases;
