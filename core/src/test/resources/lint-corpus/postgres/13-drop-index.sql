-- expect: NON_CONCURRENT_INDEX
-- lock: lint_users AccessExclusiveLock
DROP INDEX lint_users_tier_idx;
