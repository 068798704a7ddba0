-- expect: safe
CREATE TABLE lint_events (id bigint PRIMARY KEY, user_id bigint, body text) ENGINE=InnoDB;
ALTER TABLE lint_events ADD COLUMN seq bigint NOT NULL AUTO_INCREMENT UNIQUE, ADD FULLTEXT INDEX lint_events_ft (body);
ALTER TABLE lint_events MODIFY user_id int NOT NULL, ALGORITHM=COPY;
