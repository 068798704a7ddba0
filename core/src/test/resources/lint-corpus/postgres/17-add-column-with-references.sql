-- expect: VALIDATING_CONSTRAINT
-- lock: lint_orders AccessExclusiveLock
ALTER TABLE lint_orders ADD COLUMN buyer_id bigint REFERENCES lint_users (id) ON DELETE SET NULL;
