-- expect: safe
ALTER INDEX lint_users_tier_idx RENAME TO lint_users_tier_index;
ALTER TABLE lint_users RENAME CONSTRAINT lint_users_pkey TO lint_users_primary;
