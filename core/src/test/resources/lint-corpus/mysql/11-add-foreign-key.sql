-- expect: VALIDATING_CONSTRAINT, TABLE_COPY
-- online: no
ALTER TABLE lint_orders ADD CONSTRAINT lint_orders_user_fk FOREIGN KEY (user_id) REFERENCES lint_users (id);
