package dev.flagway.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.JDBCUtils;

/**
 * The jOOQ dialect of the server behind a connection. jOOQ guesses from the JDBC URL, that is from
 * the driver; but the MariaDB driver also reaches MySQL, and MySQL's Connector/J also reaches
 * MariaDB, and the two servers differ in syntax jOOQ renders ({@code fetch next ? rows only},
 * {@code insert ... as excluded on duplicate key update}). The server's own version string says
 * which it is.
 */
public final class ServerDialect {
    private ServerDialect() {
    }

    /** The dialect of the server behind {@code connection}. */
    public static SQLDialect of(Connection connection) throws SQLException {
        SQLDialect guess = JDBCUtils.dialect(connection);
        if (guess.family() != SQLDialect.MYSQL && guess.family() != SQLDialect.MARIADB) {
            return guess;
        }
        String version = connection.getMetaData().getDatabaseProductVersion();
        return version != null && version.toLowerCase(Locale.ROOT).contains("mariadb") ? SQLDialect.MARIADB
                : SQLDialect.MYSQL;
    }

    /**
     * A jOOQ context on {@code connection} in its server's dialect.
     *
     * @throws DataAccessException when the connection cannot tell its server
     */
    public static DSLContext using(Connection connection) {
        try {
            return DSL.using(connection, of(connection));
        } catch (SQLException e) {
            throw new DataAccessException("cannot read which server the connection reaches: " + e.getMessage(), e);
        }
    }
}
