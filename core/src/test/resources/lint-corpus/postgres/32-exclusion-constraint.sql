-- expect: VALIDATING_CONSTRAINT
-- lock: lint_orders AccessExclusiveLock
ALTER TABLE lint_orders ADD CONSTRAINT lint_orders_one_per_user EXCLUDE USING btree (user_id WITH =);
