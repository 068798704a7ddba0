-- The tables every PostgreSQL case starts from (the server test creates them in a schema of its own).
CREATE TABLE lint_users (
    id bigint PRIMARY KEY,
    email varchar(100),
    nickname text,
    tier int,
    legacy text
);
CREATE TABLE lint_orders (
    id bigint PRIMARY KEY,
    user_id bigint,
    total numeric(10, 2)
);
INSERT INTO lint_users (id, email, nickname, tier, legacy)
SELECT g, 'u' || g || '@example.com', NULL, g % 3, 'x' FROM generate_series(1, 50) g;
INSERT INTO lint_orders (id, user_id, total) SELECT g, g, 10 FROM generate_series(1, 50) g;
CREATE INDEX lint_users_tier_idx ON lint_users (tier);
