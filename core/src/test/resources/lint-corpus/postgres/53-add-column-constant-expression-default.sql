-- expect: safe
-- rewrite: no
ALTER TABLE lint_users ADD COLUMN prefs jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN label text DEFAULT 'a' || 'b', ADD COLUMN shift interval DEFAULT interval '1 day';
