package dev.flagway.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Plain SQL on a test database, and the tables a test made there, dropped when it closes: the shared
 * half of the migration-tool fixtures (Flyway, Liquibase).
 */
public final class ScratchTables implements AutoCloseable {
    private final TestDatabase db;
    private final DataSource dataSource;
    private final List<String> drops = new ArrayList<>();

    /** Works on {@code dataSource}, a data source of {@code db}. */
    public ScratchTables(TestDatabase db, DataSource dataSource) {
        this.db = db;
        this.dataSource = dataSource;
    }

    /** Tables to drop at the end. */
    public void dropLater(String... tables) {
        drops.addAll(List.of(tables));
    }

    /** Runs one statement. */
    public void exec(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of a query, as a number. */
    public long count(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code table} (in the connection's schema) has {@code column}. */
    public boolean columnExists(String table, String column) {
        return count("select count(*) from information_schema.columns where lower(table_name) = '" + table
                + "' and lower(column_name) = '" + column + "'" + sameSchema()) == 1;
    }

    /** Whether {@code table} exists in the connection's schema. */
    public boolean tableExists(String table) {
        return count("select count(*) from information_schema.tables where lower(table_name) = '" + table + "'"
                + sameSchema()) == 1;
    }

    private String sameSchema() {
        return db == TestDatabase.POSTGRES ? " and table_schema = current_schema()" : " and table_schema = database()";
    }

    /** Drops the tables, best effort. */
    @Override
    public void close() {
        for (String table : drops) {
            try {
                exec("drop table if exists " + table);
            } catch (IllegalStateException e) {
                // best effort: the test's own failure matters more
            }
        }
    }
}
