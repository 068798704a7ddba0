package dev.flagway.flyway;

import dev.flagway.dialect.Dialect;
import dev.flagway.internal.ServerDialect;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.postgres.PostgresDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.jooq.SQLDialect;

/** The Flagway dialect of the database a Flyway configuration migrates, detected once per data source. */
final class Dialects {
    private final Map<DataSource, Dialect> byDataSource = new ConcurrentHashMap<>();

    /** The dialect of the server behind {@code dataSource}. */
    Dialect of(DataSource dataSource) {
        return byDataSource.computeIfAbsent(dataSource, Dialects::detect);
    }

    private static Dialect detect(DataSource dataSource) {
        SQLDialect family;
        try (Connection c = dataSource.getConnection()) {
            family = ServerDialect.of(c).family();
        } catch (SQLException e) {
            throw new FlywayException("Flagway cannot tell which database Flyway migrates: " + e.getMessage(), e);
        }
        switch (family) {
            case POSTGRES:
                return new PostgresDialect();
            case MYSQL:
            case MARIADB:
                return MySqlDialect.detect(dataSource);
            default:
                throw new FlywayException("Flagway runs Flyway migrations on PostgreSQL, MySQL and MariaDB, not on "
                        + family);
        }
    }
}
