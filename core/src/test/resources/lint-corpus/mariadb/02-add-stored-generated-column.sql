-- expect: TABLE_REBUILD, TABLE_COPY
-- online: no
ALTER TABLE lint_users ADD COLUMN next_tier int AS (tier + 1) STORED;
