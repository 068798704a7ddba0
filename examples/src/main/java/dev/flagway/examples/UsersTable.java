package dev.flagway.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The demo application's table before the migration: {@code id} and {@code email} as users typed it.
 * Row 0 is the operators' account, which traffic never touches; ids 1 to N are the seeded users.
 */
final class UsersTable {
    /** The operators' row, used by back-office jobs (and by the long transaction that blocks DDL). */
    static final long ADMIN_ID = 0;
    private static final int BATCH = 1_000;

    private final DataSource dataSource;
    private final String name;

    UsersTable(DataSource dataSource, String name) {
        this.dataSource = dataSource;
        this.name = name;
    }

    /** The table name. */
    String name() {
        return name;
    }

    /** The address user {@code id} signed up with, untidy as typed: {@code " User7@Example.COM "}. */
    static String signUpEmail(long id) {
        return " User" + id + "@Example.COM ";
    }

    /** How the application shows an address: trimmed and lower-case. */
    static String normalize(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    /** Creates the table with the operators' row and {@code users} users. */
    void create(int users) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table " + name + " (id bigint primary key, email varchar(320))");
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("insert into " + name + " (id, email) values (?, ?)")) {
            c.setAutoCommit(false);
            insert.setLong(1, ADMIN_ID);
            insert.setString(2, "ops@example.com");
            insert.addBatch();
            for (long id = 1; id <= users; id++) {
                insert.setLong(1, id);
                insert.setString(2, signUpEmail(id));
                insert.addBatch();
                if (id % BATCH == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /** Drops the table if it exists. */
    void drop() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop table if exists " + name);
        }
    }
}
