package dev.flagway.bench.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

/**
 * A database the harness measures: the local PostgreSQL and MariaDB servers by default, elsewhere
 * through the same variables the tests read ({@code FLAGWAY_PG_URL}, {@code FLAGWAY_PG_USER},
 * {@code FLAGWAY_PG_PASSWORD}, {@code FLAGWAY_MYSQL_URL}, ...); MySQL 8 found as the tests find it
 * ({@code FLAGWAY_MYSQL8_URL}, else the embedded MySQL 8.0.31 started for the run); or an in-memory H2
 * for the smoke test.
 *
 * @param name how reports name it
 * @param url the JDBC URL
 * @param user the user
 * @param password the password ("" for none)
 */
public record DbTarget(String name, String url, String user, String password) {

    /** PostgreSQL: {@code jdbc:postgresql://127.0.0.1:5432/flagway_test} as {@code postgres} unless overridden. */
    public static DbTarget postgres() {
        return fromEnvironment("PostgreSQL", "FLAGWAY_PG", "jdbc:postgresql://127.0.0.1:5432/flagway_test", "postgres");
    }

    /** MariaDB/MySQL: {@code jdbc:mariadb://127.0.0.1:3306/flagway_test} as {@code root} unless overridden. */
    public static DbTarget mariadb() {
        return fromEnvironment("MariaDB", "FLAGWAY_MYSQL", "jdbc:mariadb://127.0.0.1:3306/flagway_test", "root");
    }

    /**
     * MySQL 8 through Connector/J: {@code FLAGWAY_MYSQL8_URL} (and {@code _USER}, {@code _PASSWORD}), else
     * the embedded MySQL 8.0.31 of the test support, started for this JVM on Linux x86-64.
     *
     * @throws IllegalStateException when neither is available, saying why
     */
    public static DbTarget mysql8() {
        try {
            TestDatabase.Endpoint e = TestDatabase.MYSQL8.endpoint();
            return new DbTarget("MySQL 8", e.url(), e.user(), e.password());
        } catch (RuntimeException | AssertionError e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A fresh in-memory H2 database (for the smoke test). */
    public static DbTarget h2() {
        return new DbTarget("H2", "jdbc:h2:mem:flagway-bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE", "sa", "");
    }

    /**
     * By name: {@code postgres}, {@code mariadb}, {@code mysql8} (or {@code mysql}) or {@code h2}.
     *
     * @throws IllegalStateException when MySQL 8 is asked for and unavailable
     */
    public static DbTarget named(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "postgres":
            case "postgresql":
            case "pg":
                return postgres();
            case "mariadb":
                return mariadb();
            case "mysql8":
            case "mysql":
                return mysql8();
            case "h2":
                return h2();
            default:
                throw new IllegalArgumentException("unknown database '" + name + "': use postgres, mariadb, mysql8 or h2");
        }
    }

    private static DbTarget fromEnvironment(String name, String prefix, String defaultUrl, String defaultUser) {
        return new DbTarget(name, setting(prefix + "_URL", defaultUrl), setting(prefix + "_USER", defaultUser),
                setting(prefix + "_PASSWORD", ""));
    }

    private static String setting(String key, String defaultValue) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            value = System.getenv(key);
        }
        return value == null || value.isBlank() ? defaultValue : value;
    }

    /** Whether it is H2. */
    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    /** Whether it is MariaDB or MySQL. */
    public boolean isMySql() {
        return url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:");
    }

    /** Null when a connection can be made, otherwise why not. */
    public String unreachableReason() {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            return c.isValid(5) ? null : "connection not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    /** The server's version string, for the report. */
    public String serverVersion() {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** A small pool: enough for the callers, the shadow reads and the flag refresh. */
    public HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setPoolName("flagway-bench-" + name.toLowerCase(Locale.ROOT));
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    @Override
    public String toString() {
        return name + " (" + url + ")";
    }
}
