-- expect: safe
-- online: yes
ALTER TABLE lint_users ADD COLUMN plan int, ALGORITHM=INSTANT;
