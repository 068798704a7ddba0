-- expect: VALIDATING_CONSTRAINT@5, TABLE_COPY@5
-- online: no
ALTER TABLE lint_users
    ADD COLUMN plan int NULL,
    ADD CONSTRAINT lint_users_tier_positive CHECK (tier >= 0),
    ADD INDEX lint_users_plan_idx (plan);
