-- expect: TYPE_CHANGE_IN_PLACE
-- rewrite: yes
ALTER TABLE lint_users ALTER COLUMN legacy SET DATA TYPE int USING length(legacy);
