-- expect: TABLE_COPY
ALTER TABLE lint_users ADD COLUMN plan int, ALGORITHM=COPY;
