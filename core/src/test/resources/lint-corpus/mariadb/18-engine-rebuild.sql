-- expect: TABLE_REBUILD
-- online: yes
ALTER TABLE lint_users ENGINE = InnoDB;
