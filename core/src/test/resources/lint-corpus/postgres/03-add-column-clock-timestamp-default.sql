-- expect: VOLATILE_DEFAULT
-- rewrite: yes
ALTER TABLE lint_users ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
