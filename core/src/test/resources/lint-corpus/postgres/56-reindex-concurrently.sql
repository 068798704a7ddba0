-- expect: safe
REINDEX INDEX CONCURRENTLY lint_users_tier_idx;
