-- expect: VALIDATING_CONSTRAINT
ALTER TABLE lint_users ADD COLUMN score int CHECK (score > 0);
