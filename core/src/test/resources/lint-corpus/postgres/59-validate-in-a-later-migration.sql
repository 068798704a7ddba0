-- expect: safe
-- setup: ALTER TABLE lint_orders ADD CONSTRAINT lint_orders_user_fk FOREIGN KEY (user_id) REFERENCES lint_users (id) NOT VALID
-- lock: lint_orders ShareUpdateExclusiveLock
ALTER TABLE lint_orders VALIDATE CONSTRAINT lint_orders_user_fk;
