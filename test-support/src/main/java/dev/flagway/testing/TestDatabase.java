package dev.flagway.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The databases Flagway's tests run against, found the same way in every module:
 * <ol>
 *   <li>the JDBC URL in {@code FLAGWAY_PG_URL} / {@code FLAGWAY_MYSQL_URL} (user and password in
 *       {@code FLAGWAY_PG_USER}, {@code FLAGWAY_PG_PASSWORD}, {@code FLAGWAY_MYSQL_USER},
 *       {@code FLAGWAY_MYSQL_PASSWORD}), defaulting to the local servers;</li>
 *   <li>when that server does not answer and Docker is available, a Testcontainers container;</li>
 *   <li>otherwise the test is skipped, unless {@code FLAGWAY_REQUIRE_DB=true}, when it fails.</li>
 * </ol>
 * Every variable may also be given as a system property of the same name. {@link #H2} is an
 * in-process database, a new one per {@link #dataSource()} call, folding unquoted names to lower case
 * as PostgreSQL does.
 */
public enum TestDatabase {
    /** H2 in memory: always available. */
    H2,
    /** PostgreSQL: {@code jdbc:postgresql://127.0.0.1:5432/flagway_test} as {@code postgres} by default. */
    POSTGRES,
    /** MySQL or MariaDB: {@code jdbc:mariadb://127.0.0.1:3306/flagway_test} as {@code root} by default. */
    MARIADB;

    private static final Map<TestDatabase, Endpoint> RESOLVED = new ConcurrentHashMap<>();
    private static final AtomicInteger H2_COUNTER = new AtomicInteger();

    /**
     * A data source for this database. For the servers, the same endpoint for the whole JVM; tests
     * keep out of each other's way with {@link #uniqueName(String)} table names.
     *
     * @throws org.opentest4j.TestAbortedException when the server is unreachable and not required
     */
    public DataSource dataSource() {
        if (this == H2) {
            return h2(Endpoint.of("jdbc:h2:mem:flagway" + H2_COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE", "sa", ""));
        }
        Endpoint endpoint = endpoint();
        return this == POSTGRES ? postgres(endpoint) : mariadb(endpoint);
    }

    /** The resolved endpoint of this server (H2: a fresh in-memory URL). */
    public Endpoint endpoint() {
        if (this == H2) {
            return Endpoint.of("jdbc:h2:mem:flagway" + H2_COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE", "sa", "");
        }
        return requireReachable(RESOLVED.computeIfAbsent(this, TestDatabase::resolve), Settings.requireDb());
    }

    static Endpoint requireReachable(Endpoint endpoint, boolean required) {
        if (endpoint.failure != null) {
            if (required) {
                Assertions.fail(endpoint.failure);
            }
            Assumptions.abort(endpoint.failure);
        }
        return endpoint;
    }

    /** A name unique to this JVM run, for tables and other objects a test creates: {@code prefix_ab12cd}. */
    public static String uniqueName(String prefix) {
        return prefix + "_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    }

    static Endpoint resolve(TestDatabase db) {
        String prefix = db == POSTGRES ? "FLAGWAY_PG" : "FLAGWAY_MYSQL";
        String url = Settings.get(prefix + "_URL", db == POSTGRES
                ? "jdbc:postgresql://127.0.0.1:5432/flagway_test"
                : "jdbc:mariadb://127.0.0.1:3306/flagway_test");
        String user = Settings.get(prefix + "_USER", db == POSTGRES ? "postgres" : "root");
        String password = Settings.get(prefix + "_PASSWORD", "");
        Endpoint configured = Endpoint.of(url, user, password);
        SQLException error = tryConnect(db, configured);
        if (error == null) {
            return configured;
        }
        String reason = db + " is unreachable at " + url + " as '" + user + "': " + error.getMessage();
        if (Containers.dockerAvailable()) {
            return db == POSTGRES ? Containers.postgres() : Containers.mariadb();
        }
        return Endpoint.failed(reason + " (and Docker is not available for Testcontainers). Start the server,"
                + " set " + prefix + "_URL, or unset FLAGWAY_REQUIRE_DB to skip these tests.");
    }

    private static SQLException tryConnect(TestDatabase db, Endpoint endpoint) {
        DataSource ds = db == POSTGRES ? postgres(endpoint) : mariadb(endpoint);
        try (Connection c = ds.getConnection()) {
            return c.isValid(5) ? null : new SQLException("connection not valid");
        } catch (SQLException e) {
            return e;
        }
    }

    private static DataSource h2(Endpoint e) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(e.url);
        ds.setUser(e.user);
        ds.setPassword(e.password);
        return ds;
    }

    private static DataSource postgres(Endpoint e) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(e.url);
        if (!e.user.isEmpty()) {
            ds.setUser(e.user);
        }
        ds.setPassword(e.password);
        ds.setConnectTimeout(5);
        ds.setLoginTimeout(5);
        return ds;
    }

    private static DataSource mariadb(Endpoint e) {
        try {
            MariaDbDataSource ds = new MariaDbDataSource(e.url);
            if (!e.user.isEmpty()) {
                ds.setUser(e.user);
            }
            ds.setPassword(e.password);
            ds.setLoginTimeout(5);
            return ds;
        } catch (SQLException ex) {
            throw new IllegalArgumentException("bad MariaDB URL " + e.url + ": " + ex.getMessage(), ex);
        }
    }

    /** A JDBC URL with its credentials; {@code failure} is set when the server could not be reached. */
    public static final class Endpoint {
        final String url;
        final String user;
        final String password;
        final String failure;

        private Endpoint(String url, String user, String password, String failure) {
            this.url = url;
            this.user = user;
            this.password = password;
            this.failure = failure;
        }

        static Endpoint of(String url, String user, String password) {
            return new Endpoint(url, user, password, null);
        }

        static Endpoint failed(String failure) {
            return new Endpoint(null, null, null, failure);
        }

        /** The JDBC URL. */
        public String url() {
            return url;
        }

        /** The user name. */
        public String user() {
            return user;
        }

        /** The password (empty for none). */
        public String password() {
            return password;
        }
    }
}
