package dev.flagway.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jooq.Name;

/**
 * Reads {@link TableFacts} and the database objects that read a column from the information
 * schema. A table named without a schema is looked up in the connection's current database.
 */
final class SchemaInspector {
    private static final String WHERE_TABLE = " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?";

    private final MySqlServer server;

    SchemaInspector(MySqlServer server) {
        this.server = server;
    }

    TableFacts inspect(Connection c, Name table) throws SQLException {
        String schema = table.qualified() ? table.first() : null;
        String name = table.last();
        String engine = null;
        String rowFormat = null;
        boolean exists = false;
        try (ResultSet rs = query(c, "SELECT ENGINE, ROW_FORMAT FROM information_schema.TABLES" + WHERE_TABLE, schema, name)) {
            if (rs.next()) {
                exists = true;
                engine = rs.getString(1);
                rowFormat = rs.getString(2);
            }
        }
        Map<String, TableFacts.Column> columns = new HashMap<>();
        try (ResultSet rs = query(c, "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE"
                + " FROM information_schema.COLUMNS"
                + WHERE_TABLE, schema, name)) {
            while (rs.next()) {
                columns.put(TableFacts.key(rs.getString(1)),
                        new TableFacts.Column(TableFacts.key(rs.getString(2)), rs.getLong(3),
                        "YES".equalsIgnoreCase(rs.getString(4))));
            }
        }
        Set<String> indexes = new HashSet<>();
        Set<String> indexedColumns = new HashSet<>();
        boolean fulltext = false;
        try (ResultSet rs = query(c, "SELECT INDEX_NAME, COLUMN_NAME, INDEX_TYPE FROM information_schema.STATISTICS"
                + WHERE_TABLE, schema, name)) {
            while (rs.next()) {
                indexes.add(TableFacts.key(rs.getString(1)));
                indexedColumns.add(TableFacts.key(rs.getString(2)));
                fulltext |= "FULLTEXT".equalsIgnoreCase(rs.getString(3));
            }
        }
        Map<String, String> constraints = new HashMap<>();
        try (ResultSet rs = query(c, "SELECT CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS"
                + WHERE_TABLE, schema, name)) {
            while (rs.next()) {
                constraints.put(TableFacts.key(rs.getString(1)), rs.getString(2));
            }
        }
        return new TableFacts(exists, engine, rowFormat, fulltext, rowVersions(c, schema, name), columns,
                indexedColumns, indexes, constraints);
    }

    /**
     * The views, triggers and generated columns that read {@code column} of {@code table}: dropping
     * it would break them.
     */
    List<String> readersOf(Connection c, Name table, String column) throws SQLException {
        String schema = table.qualified() ? table.first() : null;
        String name = table.last();
        Pattern word = Pattern.compile("(?i)(^|[^A-Za-z0-9_$])" + Pattern.quote(column) + "([^A-Za-z0-9_$]|$)");
        Pattern qualified = Pattern.compile("(?i)`" + Pattern.quote(name) + "`\\.`" + Pattern.quote(column) + "`");
        List<String> readers = new ArrayList<>();
        try (ResultSet rs = query(c, "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS"
                + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE())", schema)) {
            while (rs.next()) {
                if (qualified.matcher(String.valueOf(rs.getString(2))).find()) {
                    readers.add("view " + rs.getString(1));
                }
            }
        }
        try (ResultSet rs = query(c, "SELECT TRIGGER_NAME, ACTION_STATEMENT FROM information_schema.TRIGGERS"
                + " WHERE EVENT_OBJECT_SCHEMA = COALESCE(?, DATABASE()) AND EVENT_OBJECT_TABLE = ?", schema, name)) {
            while (rs.next()) {
                if (word.matcher(String.valueOf(rs.getString(2))).find()) {
                    readers.add("trigger " + rs.getString(1));
                }
            }
        }
        try (ResultSet rs = query(c, "SELECT COLUMN_NAME, GENERATION_EXPRESSION FROM information_schema.COLUMNS"
                + WHERE_TABLE + " AND COALESCE(GENERATION_EXPRESSION, '') <> ''", schema, name)) {
            while (rs.next()) {
                if (word.matcher(rs.getString(2)).find()) {
                    readers.add("generated column " + rs.getString(1));
                }
            }
        }
        return readers;
    }

    /**
     * The definition of {@code column} as {@code SHOW CREATE TABLE} prints it, without the name, or
     * null when the table has no such column.
     *
     * @param renderedTable the table name, quoted
     */
    String columnDefinition(Connection c, String renderedTable, String column) throws SQLException {
        String prefix = "`" + column.toLowerCase(Locale.ROOT) + "` ";
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + renderedTable)) {
            rs.next();
            for (String line : rs.getString(2).split("\n")) {
                String trimmed = line.strip();
                if (trimmed.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    String definition = trimmed.substring(prefix.length());
                    return definition.endsWith(",") ? definition.substring(0, definition.length() - 1) : definition;
                }
            }
        }
        return null;
    }

    private int rowVersions(Connection c, String schema, String name) throws SQLException {
        if (server.instantRowVersionLimit() == 0) {
            return 0;
        }
        try (ResultSet rs = query(c, "SELECT TOTAL_ROW_VERSIONS FROM information_schema.INNODB_TABLES"
                + " WHERE NAME = CONCAT(COALESCE(?, DATABASE()), '/', ?)", schema, name)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Runs a query with string parameters; the result set closes its statement. */
    private static ResultSet query(Connection c, String sql, String... params) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
            s.closeOnCompletion();
            return s.executeQuery();
        } catch (SQLException e) {
            s.close();
            throw e;
        }
    }
}
