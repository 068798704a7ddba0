-- expect: UNPARSED
DO $$ BEGIN EXECUTE 'ALTER TABLE lint_users DROP COLUMN legacy'; END $$;
