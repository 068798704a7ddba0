-- expect: VALIDATING_CONSTRAINT
-- lock: lint_orders ShareRowExclusiveLock
ALTER TABLE lint_orders ADD CONSTRAINT lint_orders_user_fk FOREIGN KEY (user_id) REFERENCES lint_users (id);
