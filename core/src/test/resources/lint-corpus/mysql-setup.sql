-- The tables every MySQL 8 and MariaDB case starts from.
CREATE TABLE lint_users (
    id bigint PRIMARY KEY,
    email varchar(100),
    nickname varchar(50),
    tier int,
    bio text,
    legacy varchar(20),
    KEY lint_users_tier_idx (tier)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE lint_orders (
    id bigint PRIMARY KEY,
    user_id bigint,
    total decimal(10, 2) unsigned NOT NULL DEFAULT '0.00'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO lint_users (id, email, nickname, tier, bio, legacy)
VALUES (1, 'a@example.com', NULL, 1, 'likes tea', 'x'), (2, 'b@example.com', NULL, 2, 'likes coffee', 'y');
INSERT INTO lint_orders (id, user_id, total) VALUES (1, 1, 10.00), (2, 2, 20.00);
