-- MySQL's online DDL table: specifying a character set rebuilds the table when the encoding
-- changes (MariaDB only changes the default for new columns).
-- expect: TABLE_REBUILD
ALTER TABLE lint_users DEFAULT CHARACTER SET = latin1;
