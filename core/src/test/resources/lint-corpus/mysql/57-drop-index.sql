-- expect: safe
-- online: yes
DROP INDEX lint_users_tier_idx ON lint_users;
