-- Only the default for new columns changes: MariaDB does it instantly (MySQL may rebuild).
-- expect: safe
-- online: yes
ALTER TABLE lint_users DEFAULT CHARACTER SET = latin1;
