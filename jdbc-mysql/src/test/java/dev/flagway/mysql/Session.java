package dev.flagway.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A test's own database session with a thread of its own for statements that block. Closing it
 * KILLs the session by its own id if a statement is still blocked, so a failed test never leaves
 * a lock behind on the shared server.
 */
final class Session implements AutoCloseable {
    private final DataSource ds;
    private final Connection connection;
    private final long id;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-session");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<Void> running = CompletableFuture.completedFuture(null);

    private Session(DataSource ds) throws SQLException {
        this.ds = ds;
        this.connection = ds.getConnection();
        this.id = Sql.connectionId(connection);
    }

    static Session open(DataSource ds) throws SQLException {
        return new Session(ds);
    }

    long id() {
        return id;
    }

    Connection connection() {
        return connection;
    }

    /** Runs statements now, on the caller's thread. */
    void exec(String... statements) throws SQLException {
        Sql.exec(connection, statements);
    }

    /** Runs statements on the session's thread; the future completes when they finish. */
    CompletableFuture<Void> execAsync(String... statements) {
        running = CompletableFuture.runAsync(() -> {
            try {
                Sql.exec(connection, statements);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, thread);
        return running;
    }

    @Override
    public void close() throws Exception {
        if (!running.isDone()) {
            try (Connection admin = ds.getConnection()) {
                Sql.exec(admin, "KILL CONNECTION " + id);
            }
        }
        thread.shutdownNow();
        thread.awaitTermination(5, TimeUnit.SECONDS);
        connection.close();
    }

    /**
     * Polls {@code condition} every 250 ms until it holds or {@code timeout} passes. Not faster: InnoDB
     * refreshes its information-schema lock tables only when they were not read for 0.1 s.
     */
    static boolean await(Duration timeout, Check condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return true;
            }
            Thread.sleep(250);
        }
        return condition.holds();
    }

    /** A condition that may query the database. */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }
}
