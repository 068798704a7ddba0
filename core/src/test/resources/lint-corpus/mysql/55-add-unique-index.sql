-- expect: safe
-- online: yes
ALTER TABLE lint_users ADD UNIQUE INDEX lint_users_email_key (email);
