-- The linter cannot see the column's current type, so it reports every type change; this one
-- happens to be a catalogue-only change on PostgreSQL (waive it with that reason).
-- expect: TYPE_CHANGE_IN_PLACE
-- rewrite: no
ALTER TABLE lint_users ALTER COLUMN email TYPE varchar(320);
