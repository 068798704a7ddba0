-- expect: CHARSET_CONVERSION
-- online: no
ALTER TABLE lint_users CONVERT TO CHARACTER SET latin1;
