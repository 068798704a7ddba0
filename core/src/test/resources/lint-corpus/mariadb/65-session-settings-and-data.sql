-- expect: safe
SET SESSION lock_wait_timeout = 5;
# a hash comment; not a statement
UPDATE lint_users SET nickname = 'it\'s; fine' WHERE id = 1;
INSERT INTO lint_orders (id, user_id, total) VALUES (3, 1, "1.50");
