-- MariaDB takes no ALGORITHM or LOCK clause on DROP INDEX; ALTER TABLE ... DROP INDEX does.
-- expect: safe
-- online: yes
ALTER TABLE lint_users DROP INDEX lint_users_tier_idx;
