-- expect: safe
-- online: yes
ALTER TABLE lint_users ADD COLUMN next_tier int AS (tier + 1) VIRTUAL;
