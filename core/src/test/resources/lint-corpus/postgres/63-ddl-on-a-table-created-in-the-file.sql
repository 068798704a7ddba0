-- expect: safe
CREATE TABLE lint_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint, at timestamptz);
CREATE INDEX lint_events_user_idx ON lint_events (user_id);
ALTER TABLE lint_events ADD COLUMN kind text NOT NULL, ADD CONSTRAINT lint_events_kind UNIQUE (kind);
ALTER TABLE lint_events ADD CONSTRAINT lint_events_user_fk FOREIGN KEY (user_id) REFERENCES lint_users (id);
ALTER TABLE lint_events ALTER COLUMN at TYPE timestamp;
