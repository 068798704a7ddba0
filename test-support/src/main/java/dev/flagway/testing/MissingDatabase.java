package dev.flagway.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates the test database a server says does not exist, so that a fresh server needs no manual
 * {@code CREATE DATABASE} before the tests. Only plain names ({@code [A-Za-z0-9_]}) are created.
 */
final class MissingDatabase {
    /** {@code jdbc:<driver>://<host and port>/<database>[?;<parameters>]}. */
    private static final Pattern URL = Pattern.compile("^(jdbc:[a-z0-9]+://[^/?;]*)/([^/?;]*)(.*)$");
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_]+");
    /** PostgreSQL's invalid_catalog_name. */
    private static final String POSTGRES_NO_DATABASE = "3D000";
    /** PostgreSQL's duplicate_database: another JVM created it meanwhile. */
    private static final String POSTGRES_DUPLICATE_DATABASE = "42P04";
    /** MySQL's and MariaDB's ER_BAD_DB_ERROR. */
    private static final int MYSQL_UNKNOWN_DATABASE = 1049;

    private MissingDatabase() {
    }

    /** Whether {@code e}, from connecting to {@code db}, means the server answered but has no such database. */
    static boolean is(TestDatabase db, SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (db == TestDatabase.POSTGRES
                    ? POSTGRES_NO_DATABASE.equals(sql.getSQLState())
                    : sql.getErrorCode() == MYSQL_UNKNOWN_DATABASE)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Creates the database {@code endpoint}'s URL names, connecting to the server's maintenance
     * database ({@code postgres}) or to no database (MySQL, MariaDB).
     *
     * @throws IllegalArgumentException when the URL names no plain database name
     */
    static void create(TestDatabase db, TestDatabase.Endpoint endpoint) throws SQLException {
        Matcher m = URL.matcher(endpoint.url());
        if (!m.matches() || !PLAIN_NAME.matcher(m.group(2)).matches()) {
            throw new IllegalArgumentException("the URL names no plain database name to create");
        }
        String name = m.group(2);
        boolean postgres = db == TestDatabase.POSTGRES;
        TestDatabase.Endpoint server = TestDatabase.Endpoint.of(m.group(1) + "/" + (postgres ? "postgres" : "") + m.group(3),
                endpoint.user(), endpoint.password());
        try (Connection c = TestDatabase.connect(db, server); Statement s = c.createStatement()) {
            s.execute(postgres ? "CREATE DATABASE \"" + name + "\"" : "CREATE DATABASE IF NOT EXISTS `" + name + "`");
        } catch (SQLException e) {
            if (!postgres || !POSTGRES_DUPLICATE_DATABASE.equals(e.getSQLState())) {
                throw e;
            }
        }
    }
}
