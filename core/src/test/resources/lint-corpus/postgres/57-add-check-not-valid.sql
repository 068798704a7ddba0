-- expect: safe
-- rewrite: no
-- lock: lint_users AccessExclusiveLock
ALTER TABLE lint_users ADD CONSTRAINT lint_users_tier_positive CHECK (tier >= 0) NOT VALID;
