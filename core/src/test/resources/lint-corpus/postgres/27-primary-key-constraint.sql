-- expect: UNIQUE_CONSTRAINT
-- setup: ALTER TABLE lint_orders DROP CONSTRAINT lint_orders_pkey
-- lock: lint_orders AccessExclusiveLock
ALTER TABLE lint_orders ADD PRIMARY KEY (id);
