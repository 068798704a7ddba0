package dev.flagway.testing;

import com.mysql.cj.jdbc.MysqlDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
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
 * The databases Flagway's tests run against, found the same way in every module.
 * <p>PostgreSQL and MariaDB:
 * <ol>
 *   <li>the JDBC URL in {@code FLAGWAY_PG_URL} / {@code FLAGWAY_MYSQL_URL} (user and password in
 *       {@code FLAGWAY_PG_USER}, {@code FLAGWAY_PG_PASSWORD}, {@code FLAGWAY_MYSQL_USER},
 *       {@code FLAGWAY_MYSQL_PASSWORD}), defaulting to the local servers; a database missing on a
 *       server that answers is created;</li>
 *   <li>when that server does not answer and Docker is available, a Testcontainers container.</li>
 * </ol>
 * MySQL 8: the {@code jdbc:mysql:} URL in {@code FLAGWAY_MYSQL8_URL} (and {@code FLAGWAY_MYSQL8_USER},
 * {@code FLAGWAY_MYSQL8_PASSWORD}) when set; else the embedded MySQL 8.0.31 this JVM starts on Linux
 * x86-64; else a Testcontainers container where Docker is available.
 * <p>Otherwise the tests of that database are skipped — the console says why, once, and which
 * databases were skipped at the end of the run — unless {@code FLAGWAY_REQUIRE_DB=true}, when they
 * fail. Every variable may also be given as a system property of the same name. {@link #H2} is an
 * in-process database, a new one per {@link #dataSource()} call, folding unquoted names to lower case
 * as PostgreSQL does. MariaDB is reached through the MariaDB driver, MySQL 8 through MySQL Connector/J.
 */
public enum TestDatabase {
    /** H2 in memory: always available. */
    H2,
    /** PostgreSQL: {@code jdbc:postgresql://127.0.0.1:5432/flagway_test} as {@code postgres} by default. */
    POSTGRES,
    /** MariaDB: {@code jdbc:mariadb://127.0.0.1:3306/flagway_test} as {@code root} by default. */
    MARIADB,
    /** MySQL 8: {@code FLAGWAY_MYSQL8_URL}, else an embedded MySQL 8.0.31 on Linux x86-64, else Testcontainers. */
    MYSQL8;

    /** The database the tests use on a server they find by default. */
    static final String DEFAULT_DATABASE = "flagway_test";

    private static final Map<TestDatabase, Endpoint> RESOLVED = new ConcurrentHashMap<>();
    private static final AtomicInteger H2_COUNTER = new AtomicInteger();

    /**
     * A data source for this database. For the servers, the same endpoint for the whole JVM; tests
     * keep out of each other's way with {@link #uniqueName(String)} table names.
     *
     * @throws org.opentest4j.TestAbortedException when the server is unreachable and not required
     */
    public DataSource dataSource() {
        return dataSource(this, endpoint());
    }

    /** The resolved endpoint of this server (H2: a fresh in-memory URL). */
    public Endpoint endpoint() {
        if (this == H2) {
            return Endpoint.of("jdbc:h2:mem:flagway" + H2_COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE", "sa", "");
        }
        return requireReachable(this, RESOLVED.computeIfAbsent(this, TestDatabase::resolve), Settings.requireDb(),
                Console.BUILD);
    }

    static Endpoint requireReachable(TestDatabase db, Endpoint endpoint, boolean required, Console console) {
        if (endpoint.failure != null) {
            if (required) {
                Assertions.fail(endpoint.failure);
            }
            console.skipped(db, endpoint.failure);
            Assumptions.abort(endpoint.failure);
        }
        return endpoint;
    }

    /** A name unique to this JVM run, for tables and other objects a test creates: {@code prefix_ab12cd}. */
    public static String uniqueName(String prefix) {
        return prefix + "_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    }

    static Endpoint resolve(TestDatabase db) {
        if (db == MYSQL8) {
            return resolveMySql8();
        }
        String prefix = db == POSTGRES ? "FLAGWAY_PG" : "FLAGWAY_MYSQL";
        Endpoint configured = Endpoint.of(
                Settings.get(prefix + "_URL", db == POSTGRES
                        ? "jdbc:postgresql://127.0.0.1:5432/" + DEFAULT_DATABASE
                        : "jdbc:mariadb://127.0.0.1:3306/" + DEFAULT_DATABASE),
                Settings.get(prefix + "_USER", db == POSTGRES ? "postgres" : "root"),
                Settings.get(prefix + "_PASSWORD", ""));
        String problem = reach(db, configured);
        if (problem == null) {
            return configured;
        }
        if (Containers.dockerAvailable()) {
            return db == POSTGRES ? Containers.postgres() : Containers.mariadb();
        }
        return Endpoint.failed(problem + " (and Docker is not available for Testcontainers). Start the server,"
                + " set " + prefix + "_URL, or unset FLAGWAY_REQUIRE_DB to skip these tests.");
    }

    private static Endpoint resolveMySql8() {
        String url = Settings.get("FLAGWAY_MYSQL8_URL", null);
        if (url != null) {
            if (!url.startsWith("jdbc:mysql:")) {
                return Endpoint.failed("FLAGWAY_MYSQL8_URL must be a jdbc:mysql: URL (the MySQL 8 tests run through"
                        + " MySQL Connector/J), but was " + url);
            }
            Endpoint configured = Endpoint.of(url, Settings.get("FLAGWAY_MYSQL8_USER", "root"),
                    Settings.get("FLAGWAY_MYSQL8_PASSWORD", ""));
            String problem = reach(MYSQL8, configured);
            return problem == null ? configured : Endpoint.failed(problem
                    + ". Start that server, or unset FLAGWAY_MYSQL8_URL to use the embedded MySQL " + EmbeddedMySql.VERSION);
        }
        String embedded;
        if (EmbeddedMySql.supported()) {
            try {
                return EmbeddedMySql.start(DEFAULT_DATABASE);
            } catch (IOException e) {
                embedded = "the embedded MySQL " + EmbeddedMySql.VERSION + " could not be used (" + e + ")";
            }
        } else {
            embedded = "the embedded MySQL " + EmbeddedMySql.VERSION + " runs on Linux x86-64 only, not on "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch");
        }
        if (Containers.dockerAvailable()) {
            return Containers.mysql8();
        }
        return Endpoint.failed("MYSQL8 is unavailable: FLAGWAY_MYSQL8_URL is not set, " + embedded
                + ", and Docker is not available for Testcontainers. Set FLAGWAY_MYSQL8_URL, or unset"
                + " FLAGWAY_REQUIRE_DB to skip these tests.");
    }

    /**
     * Connects once; when the server answers that the database does not exist, creates it and
     * connects again. Returns null when reachable, else why not.
     */
    static String reach(TestDatabase db, Endpoint endpoint) {
        SQLException error = tryConnect(db, endpoint);
        if (error != null && MissingDatabase.is(db, error)) {
            try {
                MissingDatabase.create(db, endpoint);
                Console.BUILD.info("created the missing database of " + endpoint.url + " for the " + db + " tests");
                error = tryConnect(db, endpoint);
            } catch (SQLException | IllegalArgumentException e) {
                error = new SQLException(error.getMessage() + "; creating it failed: " + e.getMessage(), e);
            }
        }
        return error == null ? null
                : db + " is unreachable at " + endpoint.url + " as '" + endpoint.user + "': " + error.getMessage();
    }

    private static SQLException tryConnect(TestDatabase db, Endpoint endpoint) {
        try (Connection c = connect(db, endpoint)) {
            return c.isValid(5) ? null : new SQLException("connection not valid");
        } catch (SQLException e) {
            return e;
        }
    }

    /** A new connection to {@code endpoint} through the driver of {@code db}. */
    static Connection connect(TestDatabase db, Endpoint endpoint) throws SQLException {
        return dataSource(db, endpoint).getConnection();
    }

    static DataSource dataSource(TestDatabase db, Endpoint e) {
        switch (db) {
            case H2:
                return h2(e);
            case POSTGRES:
                return postgres(e);
            case MARIADB:
                return mariadb(e);
            default:
                return mysql(e);
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

    private static DataSource mysql(Endpoint e) {
        MysqlDataSource ds = new MysqlDataSource();
        ds.setURL(e.url);
        if (!e.user.isEmpty()) {
            ds.setUser(e.user);
        }
        ds.setPassword(e.password);
        try {
            if (!e.url.toLowerCase(Locale.ROOT).contains("connecttimeout")) {
                ds.setConnectTimeout(5_000);
            }
        } catch (SQLException ex) {
            throw new IllegalArgumentException("bad MySQL URL " + e.url + ": " + ex.getMessage(), ex);
        }
        return ds;
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
