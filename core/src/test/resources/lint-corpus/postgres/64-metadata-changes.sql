-- expect: safe
-- rewrite: no
ALTER TABLE lint_users ALTER COLUMN tier SET DEFAULT random()::int, ALTER COLUMN nickname DROP NOT NULL,
    ALTER COLUMN tier SET STATISTICS 500;
