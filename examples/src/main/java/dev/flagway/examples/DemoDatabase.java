package dev.flagway.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.flagway.dialect.Dialect;
import dev.flagway.dialect.H2Dialect;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.mysql.MySqlServer;
import dev.flagway.mysql.MySqlSettings;
import dev.flagway.postgres.PostgresDialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The database the demo runs on: embedded H2 by default, or PostgreSQL or MySQL/MariaDB from
 * {@code --jdbc-url} ({@code jdbc:mysql:} through MySQL Connector/J, {@code jdbc:mariadb:} through the
 * MariaDB driver), always behind a HikariCP pool as an application would have it. Every pool's
 * connections carry the application's request deadline: a statement waits at most
 * {@link #REQUEST_DEADLINE} for a lock, and a request at most as long for a connection.
 */
final class DemoDatabase implements AutoCloseable {
    /** How long a request may wait for a lock or a connection before it fails, as behind a load balancer. */
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(2);

    /** The database families the demo knows. */
    enum Kind {
        H2, POSTGRESQL, MYSQL;

        /** Sets how long the session's statements wait for a lock (MySQL/MariaDB: whole seconds, rounded up). */
        String lockTimeoutSql(Duration timeout) {
            long millis = timeout.toMillis();
            switch (this) {
                case POSTGRESQL:
                    return "SET lock_timeout = '" + millis + "ms'";
                case MYSQL:
                    long seconds = Math.max(1, (millis + 999) / 1000);
                    return "SET SESSION lock_wait_timeout = " + seconds + ", innodb_lock_wait_timeout = " + seconds;
                default:
                    return "SET LOCK_TIMEOUT " + millis;
            }
        }

        /** Flagway's dialect for this family, for the database behind {@code dataSource}. */
        Dialect dialect(DataSource dataSource) {
            switch (this) {
                case POSTGRESQL:
                    return new PostgresDialect();
                case MYSQL:
                    return MySqlDialect.builder(dataSource)
                            .settings(MySqlSettings.custom().lockWaitTimeout(ddlLockWait()).build())
                            .build();
                default:
                    return new H2Dialect();
            }
        }

        /**
         * How long one lock-safe DDL attempt waits for its lock, and so how long requests may queue
         * behind it: 100 ms everywhere (on MySQL/MariaDB, whose lock waits count whole seconds, the
         * dialect cancels the waiting statement after it).
         */
        Duration ddlLockWait() {
            return Duration.ofMillis(100);
        }
    }

    private final Kind kind;
    private final String description;
    private final String url;
    private final DemoOptions options;
    private final HikariDataSource pool;

    private DemoDatabase(Kind kind, String description, String url, DemoOptions options, HikariDataSource pool) {
        this.kind = kind;
        this.description = description;
        this.url = url;
        this.options = options;
        this.pool = pool;
    }

    /**
     * Opens the application's pool and detects the server.
     *
     * @throws BadInputException when the database cannot be reached or refuses the credentials
     */
    static DemoDatabase open(DemoOptions options) {
        String url = options.jdbcUrl()
                .orElse("jdbc:h2:mem:flagway-demo-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36)
                        + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE");
        Kind kind = url.startsWith("jdbc:postgresql:") ? Kind.POSTGRESQL
                : url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:") ? Kind.MYSQL : Kind.H2;
        HikariDataSource pool = pool(kind, url, options, "app-a", options.threads() + 8);
        try (Connection c = pool.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String description = kind == Kind.MYSQL ? MySqlServer.detect(c).toString()
                    : meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion().split(" ")[0];
            return new DemoDatabase(kind, options.embedded() ? "embedded " + description : description, url, options, pool);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new BadInputException("cannot use " + url + ": " + Formats.rootMessage(e));
        }
    }

    /** Another pool on the same database, as a second application instance has. */
    HikariDataSource newPool(String name, int size) {
        return pool(kind, url, options, name, size);
    }

    /** The application's pool. */
    DataSource dataSource() {
        return pool;
    }

    /** The database family. */
    Kind kind() {
        return kind;
    }

    /** The server and version, e.g. {@code PostgreSQL 15.8}. */
    String description() {
        return description;
    }

    /** Whether {@code table} exists (in the connection's default schema). */
    boolean tableExists(String table) throws SQLException {
        try (Connection c = pool.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
            try (ResultSet rs = meta.getTables(c.getCatalog(), kind == Kind.MYSQL ? null : c.getSchema(), name,
                    new String[] {"TABLE"})) {
                return rs.next();
            }
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private static HikariDataSource pool(Kind kind, String url, DemoOptions options, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        if (!options.user().isEmpty()) {
            config.setUsername(options.user());
        }
        config.setPassword(options.password());
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(REQUEST_DEADLINE.toMillis());
        config.setInitializationFailTimeout(1);
        config.setConnectionInitSql(kind.lockTimeoutSql(REQUEST_DEADLINE));
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new BadInputException("cannot connect to " + url
                    + (options.user().isEmpty() ? "" : " as '" + options.user() + "'") + ": " + Formats.rootMessage(e));
        }
    }
}
