package dev.flagway.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.JDBCUtils;

/** Runs short jOOQ work on a connection of its own, for Flagway's small bookkeeping tables. */
public final class Connections {
    private Connections() {
    }

    /**
     * Opens a connection, runs {@code work} on a context of the connection's dialect, and closes it.
     *
     * @param what what is being accessed, for the error message, e.g. {@code fallback table flagway_fallbacks}
     * @throws IllegalStateException when no connection can be opened
     */
    public static <T> T withDsl(DataSource dataSource, String what, Function<DSLContext, T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(DSL.using(c, dialect(c)));
        } catch (SQLException e) {
            throw new IllegalStateException(what + " is not reachable: " + e.getMessage(), e);
        }
    }

    /**
     * The jOOQ dialect of the server behind {@code connection}. jOOQ guesses from the JDBC URL, that
     * is from the driver; but the MariaDB driver also reaches MySQL, and MySQL's Connector/J also
     * reaches MariaDB, and the two servers differ in syntax jOOQ renders ({@code fetch next ? rows
     * only}, {@code insert ... as excluded on duplicate key update}). The server's own version string
     * says which it is.
     */
    public static SQLDialect dialect(Connection connection) throws SQLException {
        SQLDialect guess = JDBCUtils.dialect(connection);
        if (guess.family() != SQLDialect.MYSQL && guess.family() != SQLDialect.MARIADB) {
            return guess;
        }
        String version = connection.getMetaData().getDatabaseProductVersion();
        return version != null && version.toLowerCase(Locale.ROOT).contains("mariadb") ? SQLDialect.MARIADB
                : SQLDialect.MYSQL;
    }
}
