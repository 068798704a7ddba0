-- expect: safe
-- online: yes
ALTER TABLE lint_users ADD COLUMN email_normalized varchar(320) NULL AFTER email;
