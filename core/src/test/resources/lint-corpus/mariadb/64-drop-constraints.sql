-- expect: safe
-- online: yes
-- setup: ALTER TABLE lint_orders ADD CONSTRAINT lint_orders_user_fk FOREIGN KEY (user_id) REFERENCES lint_users (id)
ALTER TABLE lint_orders DROP FOREIGN KEY lint_orders_user_fk;
