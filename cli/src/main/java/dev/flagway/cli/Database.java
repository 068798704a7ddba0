package dev.flagway.cli;

import dev.flagway.Migration;
import dev.flagway.config.FlagwaySettings;
import dev.flagway.dialect.Dialect;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.postgres.PostgresDialect;
import dev.flagway.internal.ServerDialect;
import dev.flagway.schema.ServerKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.jooq.SQLDialect;

/**
 * One command's view of the database: the data source, the server's {@link Dialect}, and the
 * migrations bound from the properties file. Opening it proves the connection (a wrong password or a
 * server that is down is a usage error, exit 2, with one line naming the URL without its password).
 */
final class Database {
    /** How long opening a connection may take before the server counts as unreachable. */
    private static final int LOGIN_TIMEOUT_SECONDS = 10;

    private final DataSource dataSource;
    private final Dialect dialect;
    private final ServerKind server;
    private final FlagwaySettings settings;
    private final ConnectionOptions.Credentials credentials;

    private Database(DataSource dataSource, Dialect dialect, ServerKind server, FlagwaySettings settings,
            ConnectionOptions.Credentials credentials) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.server = server;
        this.settings = settings;
        this.credentials = credentials;
    }

    /** Reads the configuration, connects once and detects the server. */
    static Database open(ConnectionOptions options) {
        Properties properties = options.properties();
        FlagwaySettings settings = options.settings(properties);
        ConnectionOptions.Credentials credentials = options.credentials(properties);
        DriverDataSource dataSource = new DriverDataSource(credentials.url(), credentials.user(), credentials.password());
        dataSource.setLoginTimeout(LOGIN_TIMEOUT_SECONDS);
        SQLDialect family;
        try (Connection c = dataSource.getConnection()) {
            family = ServerDialect.of(c).family();
        } catch (SQLException e) {
            throw new CliException(ExitCode.USAGE, "cannot connect to " + credentials + ": " + reason(e), e);
        }
        Dialect dialect;
        ServerKind server = ServerKind.of(family);
        switch (server) {
            case POSTGRESQL -> dialect = new PostgresDialect();
            case MYSQL, MARIADB -> dialect = MySqlDialect.detect(dataSource);
            default -> throw CliException.usage(credentials + " is a " + family.getName()
                    + " database; flagway works on PostgreSQL, MySQL 8 and MariaDB");
        }
        return new Database(dataSource, dialect, server, settings, credentials);
    }

    /** The driver's reason, or the closest one it gives, without a password. */
    static String reason(SQLException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
            return "no JDBC driver for this URL: use jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb:";
        }
        Throwable t = e;
        String message = e.getMessage();
        while ((message == null || message.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            message = t.getMessage();
        }
        return Redactor.redact(message == null ? e.toString() : message.strip().replaceAll("\\s+", " "));
    }

    DataSource dataSource() {
        return dataSource;
    }

    Dialect dialect() {
        return dialect;
    }

    ServerKind server() {
        return server;
    }

    FlagwaySettings settings() {
        return settings;
    }

    /** The URL and user, without the password, for messages. */
    String describe() {
        return credentials.toString();
    }

    /**
     * The migration {@code id} of the properties file.
     *
     * @throws CliException (exit 2) naming the known migrations when there is none of that id
     */
    Migration migration(String id) {
        return settings.migration(id).orElseThrow(() -> CliException.usage("unknown migration '" + id + "': "
                + (settings.migrations().isEmpty() ? "the configuration defines none (flagway.migrations.<id>.*"
                        + " keys in the --config file)" : "known migrations: " + String.join(", ",
                        settings.migrations().keySet()))));
    }

    /** Runs {@code work} on a connection of its own. */
    <T> T withConnection(String what, SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new CliException(ExitCode.INTERNAL, what + " failed on " + describe() + ": " + reason(e), e);
        }
    }

    /** Work on a connection that may throw {@link SQLException}. */
    @FunctionalInterface
    interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }
}
