-- expect: VOLATILE_DEFAULT
ALTER TABLE lint_users ADD COLUMN token varchar(36) DEFAULT (uuid());
