-- A collation change within utf8mb4 happens online, but still changes comparisons under
-- running instances.
-- expect: CHARSET_CONVERSION
ALTER TABLE lint_users CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
