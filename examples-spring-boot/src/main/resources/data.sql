-- A few users to try the application with on H2.
insert into users (id, email) values (1, ' Ada.Lovelace@Example.COM '), (2, 'Grace.Hopper@example.com ');
