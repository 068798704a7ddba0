-- expect: safe
-- online: yes
ALTER TABLE lint_users ADD COLUMN created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP;
