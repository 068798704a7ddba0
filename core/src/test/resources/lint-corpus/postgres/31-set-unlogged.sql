-- expect: TABLE_REBUILD
-- rewrite: yes
ALTER TABLE lint_orders SET UNLOGGED;
