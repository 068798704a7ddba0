-- expect: UNPARSED
LOCK TABLES lint_users WRITE;
