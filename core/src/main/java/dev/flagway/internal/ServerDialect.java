package dev.flagway.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.jooq.Condition;
import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.JDBCUtils;

/**
 * The jOOQ dialect of the server behind a connection. jOOQ guesses from the JDBC URL, that is from
 * the driver; but the MariaDB driver also reaches MySQL, and MySQL's Connector/J also reaches
 * MariaDB, and the two servers differ in syntax jOOQ renders ({@code fetch next ? rows only},
 * {@code insert ... as excluded on duplicate key update}). The server's own version string says
 * which it is.
 *
 * <p>Every jOOQ context Flagway creates comes from here, so that jOOQ's startup banner and its tip
 * of the day stay out of the application's log: loading this class sets the system properties
 * {@value #NO_LOGO} and {@value #NO_TIPS} to {@code true} unless the application set them itself
 * (jOOQ reads them once, when it first renders SQL).
 */
public final class ServerDialect {
    /** The system property that turns off the banner jOOQ logs when it first renders SQL. */
    public static final String NO_LOGO = "org.jooq.no-logo";
    /** The system property that turns off the tip of the day jOOQ logs when it first renders SQL. */
    public static final String NO_TIPS = "org.jooq.no-tips";

    static {
        quietJooq();
    }

    private ServerDialect() {
    }

    private static void quietJooq() {
        for (String property : new String[] {NO_LOGO, NO_TIPS}) {
            if (System.getProperty(property) == null) {
                System.setProperty(property, "true");
            }
        }
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

    /** A jOOQ context on {@code connection} in {@code dialect}. */
    public static DSLContext using(Connection connection, SQLDialect dialect) {
        return DSL.using(connection, dialect);
    }

    /** A jOOQ context without a connection, to render SQL in {@code dialect}. */
    public static DSLContext using(SQLDialect dialect) {
        return DSL.using(dialect);
    }

    /** A jOOQ context without a connection, to render (or parse) SQL in {@code dialect} with {@code settings}. */
    public static DSLContext using(SQLDialect dialect, Settings settings) {
        return DSL.using(dialect, settings);
    }

    /** A jOOQ context on connections from {@code dataSource}. */
    public static DSLContext using(DataSource dataSource, SQLDialect dialect, Settings settings) {
        return DSL.using(dataSource, dialect, settings);
    }

    /** A jOOQ context with {@code configuration}. */
    public static DSLContext using(Configuration configuration) {
        return DSL.using(configuration);
    }

    /**
     * Whether {@code dialect} compares text loosely: MySQL's and MariaDB's usual collations ignore case
     * and trailing blanks, so {@code 'A' = 'a'} holds there; compare with {@link #sameBytes} instead.
     */
    public static boolean comparesTextLoosely(SQLDialect dialect) {
        return dialect.family() == SQLDialect.MYSQL || dialect.family() == SQLDialect.MARIADB;
    }

    /** True where {@code a} and {@code b} hold the same bytes or are both NULL (MySQL and MariaDB only). */
    public static Condition sameBytes(Field<?> a, Field<?> b) {
        return DSL.condition("cast({0} as binary) <=> cast({1} as binary)", a, b);
    }
}
