package dev.flagway.examples;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Every write the application acknowledged to a user, and what each user should therefore read back.
 * Each user id is written by one traffic thread only, so the last acknowledged write is exact. A
 * write that failed leaves its row uncertain (it may or may not have committed) until the next
 * acknowledged write.
 */
final class Ledger {
    private final int seededUsers;
    private final Map<Long, String> lastWrite = new ConcurrentHashMap<>();
    private final Set<Long> uncertain = ConcurrentHashMap.newKeySet();
    private final AtomicLong acknowledged = new AtomicLong();

    Ledger(int seededUsers) {
        this.seededUsers = seededUsers;
    }

    /** Records an acknowledged write of {@code email} to user {@code id}. */
    void acknowledged(long id, String email) {
        lastWrite.put(id, UsersTable.normalize(email));
        uncertain.remove(id);
        acknowledged.incrementAndGet();
    }

    /** Records a write to user {@code id} that failed: its outcome is unknown. */
    void failed(long id) {
        uncertain.add(id);
    }

    /** What user {@code id} should read, or null when that is unknown (after a failed write). */
    String expected(long id) {
        if (uncertain.contains(id)) {
            return null;
        }
        String written = lastWrite.get(id);
        return written != null || id > seededUsers ? written : UsersTable.normalize(UsersTable.signUpEmail(id));
    }

    /** Writes acknowledged so far. */
    long acknowledgedWrites() {
        return acknowledged.get();
    }

    /** Rows whose last acknowledged write is not what {@code column} of {@code table} holds. */
    long lostWrites(DataSource dataSource, String table, String column) throws SQLException {
        Map<Long, String> stored = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id, " + column + " from " + table)) {
            while (rs.next()) {
                stored.put(rs.getLong(1), rs.getString(2));
            }
        }
        return lastWrite.entrySet().stream()
                .filter(w -> !uncertain.contains(w.getKey()))
                .filter(w -> !w.getValue().equals(UsersTable.normalize(stored.get(w.getKey()))))
                .count();
    }
}
