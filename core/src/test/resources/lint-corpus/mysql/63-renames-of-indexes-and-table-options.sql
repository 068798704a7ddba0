-- expect: safe
-- online: yes
ALTER TABLE lint_users RENAME INDEX lint_users_tier_idx TO lint_users_tier_index, AUTO_INCREMENT = 100;
