package dev.flagway.mysql;

import dev.flagway.testing.TestDatabase;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The servers the integration tests run on: the local MariaDB (through the shared test support)
 * and a MySQL 8 when {@code FLAGWAY_MYSQL8_URL} is set (a {@code jdbc:mariadb:} or {@code jdbc:mysql:}
 * URL; user and password in the URL or in {@code FLAGWAY_MYSQL8_USER} / {@code FLAGWAY_MYSQL8_PASSWORD}).
 * Without it the MySQL 8 cases are skipped.
 */
enum Server {
    MARIADB,
    MYSQL8;

    /** The data source; aborts the test when the server is not configured or not reachable. */
    DataSource dataSource() {
        if (this == MARIADB) {
            return TestDatabase.MARIADB.dataSource();
        }
        String url = setting("FLAGWAY_MYSQL8_URL");
        Assumptions.assumeTrue(url != null, "FLAGWAY_MYSQL8_URL is not set: MySQL 8 tests skipped");
        try {
            MariaDbDataSource ds = new MariaDbDataSource(url.replaceFirst("^jdbc:mysql:", "jdbc:mariadb:"));
            if (setting("FLAGWAY_MYSQL8_USER") != null) {
                ds.setUser(setting("FLAGWAY_MYSQL8_USER"));
            }
            if (setting("FLAGWAY_MYSQL8_PASSWORD") != null) {
                ds.setPassword(setting("FLAGWAY_MYSQL8_PASSWORD"));
            }
            ds.setLoginTimeout(5);
            return ds;
        } catch (SQLException e) {
            throw new IllegalArgumentException("bad FLAGWAY_MYSQL8_URL " + url + ": " + e.getMessage(), e);
        }
    }

    private static String setting(String name) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? null : value;
    }
}
