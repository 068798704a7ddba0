-- expect: VALIDATING_CONSTRAINT, TABLE_COPY
-- online: no
ALTER TABLE lint_users ADD CONSTRAINT lint_users_tier_positive CHECK (tier >= 0);
