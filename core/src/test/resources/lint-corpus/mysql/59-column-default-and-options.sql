-- expect: safe
-- online: yes
ALTER TABLE lint_users ALTER COLUMN tier SET DEFAULT 1, ALTER COLUMN nickname DROP DEFAULT, COMMENT = 'people';
