-- expect: NON_CONCURRENT_INDEX
-- lock: lint_users ShareLock
REINDEX INDEX lint_users_tier_idx;
