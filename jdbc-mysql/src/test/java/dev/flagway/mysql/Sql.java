package dev.flagway.mysql;

import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Small JDBC helpers for the tests; every table a test creates has a unique name and is dropped after. */
final class Sql {
    private Sql() {
    }

    /** A unique table name. */
    static String table(String prefix) {
        return TestDatabase.uniqueName(prefix);
    }

    static void exec(DataSource ds, String... statements) throws SQLException {
        try (Connection c = ds.getConnection()) {
            exec(c, statements);
        }
    }

    static void exec(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static long queryLong(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return queryLong(c, sql);
        }
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> columns(DataSource ds, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                     + " AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** The connection id of {@code c}: the only handle tests use to find or KILL their own sessions. */
    static long connectionId(Connection c) throws SQLException {
        return queryLong(c, "SELECT CONNECTION_ID()");
    }

    /** A query of the numbers 1 to {@code count} in column {@code n}, for {@code INSERT ... SELECT}. */
    static String numbers(int count) {
        int levels = String.valueOf(Math.max(1, count - 1)).length();
        List<String> terms = new ArrayList<>();
        List<String> digits = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            terms.add("d" + i + ".n * " + (long) Math.pow(10, i));
            digits.add(MetadataLockQueueTest.digits("d" + i));
        }
        return "SELECT n FROM (SELECT " + String.join(" + ", terms) + " + 1 n FROM " + String.join(" CROSS JOIN ", digits)
                + ") seq WHERE n <= " + count;
    }

    /** Drops the tables a test created, ignoring those already gone. */
    static void drop(DataSource ds, String... tables) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String t : tables) {
                s.execute("DROP TABLE IF EXISTS `" + t + "`");
            }
        }
    }
}
