-- expect: TABLE_REBUILD
-- online: yes
ALTER TABLE lint_orders DROP PRIMARY KEY, ADD PRIMARY KEY (id, user_id);
