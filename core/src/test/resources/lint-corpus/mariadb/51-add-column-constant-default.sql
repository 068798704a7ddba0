-- expect: safe
-- online: yes
ALTER TABLE lint_users ADD COLUMN plan int NOT NULL DEFAULT 0;
