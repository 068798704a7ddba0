-- The table before the migration (H2 runs it at start-up; on a server, the application's own schema tool does).
create table if not exists users (id bigint primary key, email varchar(320));
