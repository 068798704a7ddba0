package dev.flagway.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a DDL statement's metadata-lock wait to a budget that is not a whole number of seconds,
 * which {@code lock_wait_timeout} cannot express (MariaDB's {@code ALTER TABLE ... WAIT n} truncates
 * fractions as well: {@code WAIT 0.5} is {@code NOWAIT}). When the budget runs out, another
 * connection looks at the statement's session once: if it is still waiting for a metadata lock, it
 * is cancelled with {@code KILL QUERY} and the executor sees a lock wait timeout (error 1205), so it
 * backs off and retries. A statement that got its lock and is working is left alone; a later wait
 * (the lock upgrade at the end of an in-place rebuild) is bounded by {@code lock_wait_timeout}, which
 * the dialect sets to the budget rounded up. Whole-second budgets need no watchdog.
 */
final class LockWaitWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger(LockWaitWatchdog.class);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "flagway-lock-wait-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final DataSource dataSource;

    /** A watchdog that inspects and cancels sessions through connections of {@code dataSource}. */
    LockWaitWatchdog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code sql} on {@code connection}, cancelling it if it still waits for a metadata lock
     * after {@code budget}.
     *
     * @throws SQLException the statement's own error, or error 1205 when the watchdog cancelled it
     */
    void execute(Connection connection, String sql, Duration budget) throws SQLException {
        if (budget.toMillis() % 1000 == 0) {
            run(connection, sql);
            return;
        }
        Watch watch = new Watch(connectionId(connection));
        ScheduledFuture<?> timer = TIMER.schedule(watch::expire, budget.toNanos(), TimeUnit.NANOSECONDS);
        try {
            run(connection, sql);
        } catch (SQLException e) {
            if (watch.finish()) {
                throw new SQLException("Lock wait timeout: the statement waited " + budget.toMillis()
                        + " ms for its metadata lock and was cancelled", "HY000", MySqlErrors.LOCK_WAIT_TIMEOUT, e);
            }
            throw e;
        } finally {
            timer.cancel(false);
            watch.finish();
        }
    }

    private static long connectionId(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void run(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * One watched statement. Its monitor keeps the cancel from being sent after the statement ended;
     * connecting and looking happen outside it, so a slow server never holds up the statement's thread.
     */
    private final class Watch {
        private final long sessionId;
        private boolean finished;
        private boolean cancelled;

        Watch(long sessionId) {
            this.sessionId = sessionId;
        }

        /** Budget spent: cancels the statement if it is still waiting for a metadata lock. */
        void expire() {
            if (isFinished()) {
                return;
            }
            try (Connection c = dataSource.getConnection()) {
                if (waitsForMetadataLock(c)) {
                    cancelUnlessFinished(c);
                }
            } catch (SQLException e) {
                LOG.warn("Could not check or cancel the DDL of session {} after its lock wait budget: {}", sessionId,
                        e.getMessage());
            }
        }

        private synchronized boolean isFinished() {
            return finished;
        }

        private synchronized void cancelUnlessFinished(Connection c) throws SQLException {
            if (!finished) {
                cancelled = MySqlLockDiagnostics.kill(c, sessionId, true);
            }
        }

        /** The statement ended; returns whether the watchdog had cancelled it. */
        synchronized boolean finish() {
            finished = true;
            return cancelled;
        }

        private boolean waitsForMetadataLock(Connection c) throws SQLException {
            try (PreparedStatement s = c.prepareStatement("SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ?")) {
                s.setLong(1, sessionId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && ProcessRow.isMetadataLockWait(rs.getString(1));
                }
            }
        }
    }
}
