-- expect: safe
-- online: yes
ALTER TABLE lint_users ADD INDEX lint_users_email_idx (email);
