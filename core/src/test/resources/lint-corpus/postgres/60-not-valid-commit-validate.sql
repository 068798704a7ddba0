-- expect: safe
ALTER TABLE lint_users ADD CONSTRAINT lint_users_tier_positive CHECK (tier >= 0) NOT VALID;
COMMIT;
ALTER TABLE lint_users VALIDATE CONSTRAINT lint_users_tier_positive;
