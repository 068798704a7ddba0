package dev.flagway.mysql;

import dev.flagway.testing.TestDatabase;
import javax.sql.DataSource;

/**
 * The servers every integration test runs on, each through its own driver: MariaDB through the
 * MariaDB driver and MySQL 8 through MySQL Connector/J, both found by the shared test support.
 */
enum Server {
    MARIADB(TestDatabase.MARIADB),
    MYSQL8(TestDatabase.MYSQL8);

    private final TestDatabase database;

    Server(TestDatabase database) {
        this.database = database;
    }

    /** The data source; aborts (or fails, when databases are required) the test when the server is unreachable. */
    DataSource dataSource() {
        return database.dataSource();
    }
}
