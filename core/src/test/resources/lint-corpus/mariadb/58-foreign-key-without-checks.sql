-- With foreign_key_checks off the server neither checks existing rows nor copies the table.
-- expect: safe
-- online: yes
SET foreign_key_checks = 0;
ALTER TABLE lint_orders ADD CONSTRAINT lint_orders_user_fk FOREIGN KEY (user_id) REFERENCES lint_users (id);
