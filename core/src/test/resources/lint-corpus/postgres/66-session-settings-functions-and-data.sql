-- expect: safe
SET lock_timeout = '2s';
SET LOCAL statement_timeout TO '5min';
CREATE OR REPLACE FUNCTION lint_touch() RETURNS trigger AS $fn$
BEGIN
    NEW.nickname := lower(NEW.nickname); -- a semicolon inside the body
    RETURN NEW;
END;
$fn$ LANGUAGE plpgsql;
UPDATE lint_users SET nickname = 'it''s; fine' WHERE id = 1;
COMMENT ON COLUMN lint_users.tier IS 'the plan; 0 is free';
