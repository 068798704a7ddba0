-- The ADD takes its lock until the transaction ends, so validating in the same migration scans
-- the table while holding it.
-- expect: VALIDATING_CONSTRAINT@6
ALTER TABLE lint_orders ADD CONSTRAINT lint_orders_user_fk FOREIGN KEY (user_id) REFERENCES lint_users (id)
    NOT VALID;
ALTER TABLE lint_orders VALIDATE CONSTRAINT lint_orders_user_fk;
