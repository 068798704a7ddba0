-- expect: TABLE_COPY
-- online: no
ALTER TABLE lint_orders DROP PRIMARY KEY;
