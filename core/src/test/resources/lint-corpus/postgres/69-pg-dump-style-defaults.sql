-- expect: safe
-- rewrite: no
ALTER TABLE lint_users ADD COLUMN code character varying(10) DEFAULT ''::character varying NOT NULL,
    ADD COLUMN seen_at timestamp without time zone DEFAULT (now() AT TIME ZONE 'utc'),
    ADD COLUMN tenant text DEFAULT current_setting('application_name');
