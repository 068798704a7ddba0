package dev.flagway.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * The two implementations of {@link UserRepository}. The legacy one keeps the address as typed in
 * {@code email} and normalizes it on every read; the modern one keeps it normalized in
 * {@code email_normalized}. The modern one fails while its fault switch is on, as a bad deploy of the
 * new code would. The table name comes from {@link DemoOptions}, which accepts plain identifiers only.
 */
final class JdbcUserRepository implements UserRepository {
    private final DataSource dataSource;
    private final String table;
    private final String column;
    private final boolean modern;
    private final BooleanSupplier faulty;

    private JdbcUserRepository(DataSource dataSource, String table, String column, boolean modern, BooleanSupplier faulty) {
        this.dataSource = dataSource;
        this.table = table;
        this.column = column;
        this.modern = modern;
        this.faulty = faulty;
    }

    /** Reads and writes {@code email}. */
    static JdbcUserRepository legacy(DataSource dataSource, String table) {
        return new JdbcUserRepository(dataSource, table, "email", false, () -> false);
    }

    /** Reads and writes {@code email_normalized}; fails while {@code faulty} says so. */
    static JdbcUserRepository modern(DataSource dataSource, String table, BooleanSupplier faulty) {
        return new JdbcUserRepository(dataSource, table, "email_normalized", true, faulty);
    }

    @Override
    public String email(long id) {
        failIfFaulty();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + column + " from " + table + " where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? (modern ? rs.getString(1) : UsersTable.normalize(rs.getString(1))) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading user " + id + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void updateEmail(long id, String email) {
        failIfFaulty();
        try (Connection c = dataSource.getConnection()) {
            update(c, id, email);
        } catch (SQLException e) {
            throw new IllegalStateException("updating user " + id + " failed: " + e.getMessage(), e);
        }
    }

    /** Legacy: inserts the row. Modern: fills the new column of the row the legacy write created, or inserts it. */
    @Override
    public void create(long id, String email) {
        failIfFaulty();
        try (Connection c = dataSource.getConnection()) {
            if (modern && update(c, id, email) == 1) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("insert into " + table + " (id, " + column + ") values (?, ?)")) {
                ps.setLong(1, id);
                ps.setString(2, stored(email));
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("creating user " + id + " failed: " + e.getMessage(), e);
        }
    }

    private int update(Connection c, long id, String email) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update " + table + " set " + column + " = ? where id = ?")) {
            ps.setString(1, stored(email));
            ps.setLong(2, id);
            return ps.executeUpdate();
        }
    }

    private String stored(String email) {
        return modern ? UsersTable.normalize(email) : email;
    }

    private void failIfFaulty() {
        if (faulty.getAsBoolean()) {
            throw new IllegalStateException("injected fault: the new code path fails");
        }
    }
}
