package dev.flagway.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * The two implementations the demo wraps. The legacy one keeps the address as typed in
 * {@code email} and normalizes on every read; the modern one keeps it normalized in
 * {@code email_normalized}. A fault switch makes the modern one fail, as a bad deploy would.
 */
final class JdbcUserRepository implements UserRepository {
    private final DataSource dataSource;
    private final boolean modern;
    private final BooleanSupplier faulty;

    private JdbcUserRepository(DataSource dataSource, boolean modern, BooleanSupplier faulty) {
        this.dataSource = dataSource;
        this.modern = modern;
        this.faulty = faulty;
    }

    static UserRepository legacy(DataSource dataSource) {
        return new JdbcUserRepository(dataSource, false, () -> false);
    }

    static UserRepository modern(DataSource dataSource, BooleanSupplier faulty) {
        return new JdbcUserRepository(dataSource, true, faulty);
    }

    static String normalize(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String email(long id) {
        failIfFaulty();
        String sql = modern ? "select email_normalized from users where id = ?" : "select email from users where id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? (modern ? rs.getString(1) : normalize(rs.getString(1))) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading user " + id + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void updateEmail(long id, String email) {
        failIfFaulty();
        String sql = modern ? "update users set email_normalized = ? where id = ?" : "update users set email = ? where id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, modern ? normalize(email) : email);
            ps.setLong(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("updating user " + id + " failed: " + e.getMessage(), e);
        }
    }

    private void failIfFaulty() {
        if (modern && faulty.getAsBoolean()) {
            throw new IllegalStateException("injected fault on the modern path");
        }
    }
}
