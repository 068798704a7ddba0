package dev.flagway.examples;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * A long transaction that holds a lock on the table: a back-office job that read the table and
 * touched the operators' row, then took its time before committing. Every ALTER TABLE must wait for
 * it; what the ALTER does to the traffic meanwhile is the difference between a lock-safe expand and
 * a naive one.
 */
final class LongTransaction implements AutoCloseable {
    private final CompletableFuture<Void> done;

    private LongTransaction(CompletableFuture<Void> done) {
        this.done = done;
    }

    /** Starts the transaction; it holds its locks for {@code hold}, then commits. */
    static LongTransaction start(DataSource dataSource, String table, Duration hold) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeQuery("select count(*) from " + table).close();
                s.executeUpdate("update " + table + " set email = email where id = " + UsersTable.ADMIN_ID);
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new LongTransaction(CompletableFuture.runAsync(() -> {
            try (c) {
                Thread.sleep(hold.toMillis());
                c.commit();
                c.setAutoCommit(true);
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException("the long transaction failed: " + e.getMessage(), e);
            }
        }));
    }

    /** Waits until it has committed. */
    @Override
    public void close() {
        done.join();
    }
}
