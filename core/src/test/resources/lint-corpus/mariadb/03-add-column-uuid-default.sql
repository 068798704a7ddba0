-- expect: VOLATILE_DEFAULT
-- online: no
ALTER TABLE lint_users ADD COLUMN token varchar(36) DEFAULT (uuid());
