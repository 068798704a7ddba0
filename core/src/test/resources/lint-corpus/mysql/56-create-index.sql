-- expect: safe
-- online: yes
CREATE INDEX lint_users_email_idx ON lint_users (email);
