-- expect: safe
DROP INDEX CONCURRENTLY IF EXISTS lint_users_tier_idx;
