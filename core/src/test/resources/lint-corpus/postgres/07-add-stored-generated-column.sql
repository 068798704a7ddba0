-- expect: TABLE_REBUILD
-- rewrite: yes
ALTER TABLE lint_users ADD COLUMN next_tier int GENERATED ALWAYS AS (tier + 1) STORED;
