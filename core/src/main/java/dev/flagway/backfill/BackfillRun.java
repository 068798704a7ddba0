package dev.flagway.backfill;

import dev.flagway.dialect.ConnectionFailures;
import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.RunnerLock;
import dev.flagway.internal.Durations;
import dev.flagway.internal.ServerDialect;
import dev.flagway.internal.tables.TableSetup;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.schema.Backoff;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of a {@link Backfill}: holds the runner lease, the work connection and the run's counters. */
final class BackfillRun {
    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);

    private final Backfill b;
    private final String id;
    private final BatchSizer sizer;
    private final HealthGate health;
    private final Backoff reconnectBackoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    private final long started = System.nanoTime();
    private Connection connection;
    private Checkpoint checkpoint;
    private boolean resync;
    private long estimatedTotal;
    private long walkedThisRun;
    private long updatedThisRun;
    private long batches;
    private int reconnects;
    private String throttleReason;
    private BackfillState state = BackfillState.RUNNING;

    BackfillRun(Backfill backfill) {
        this.b = backfill;
        this.id = backfill.migration.id();
        this.sizer = new BatchSizer(backfill.settings);
        this.health = new HealthGate(backfill.signals, backfill.settings.healthCheckInterval());
    }

    BackfillResult execute() {
        b.control.reset();
        long waitStart = System.nanoTime();
        Optional<RunnerLock.Lease> lease = acquire();
        Duration waited = Duration.ofNanos(System.nanoTime() - waitStart);
        if (lease.isEmpty()) {
            LOG.info("Backfill of migration '{}' skipped: another runner holds its lock", id);
            Checkpoint c = b.checkpoints.load(id).orElse(Checkpoint.start(id, b.clock.instant()));
            return new BackfillResult(BackfillState.SKIPPED, c.rowsDone(), c.rowsUpdated(), 0, 0, 0, 0, waited, elapsed());
        }
        try (RunnerLock.Lease held = lease.get()) {
            long drained = work(held);
            return new BackfillResult(state, checkpoint.rowsDone(), checkpoint.rowsUpdated(), updatedThisRun, drained,
                    batches, reconnects, waited, elapsed());
        } catch (RuntimeException | Error e) {
            closeConnection();
            recordStop(BackfillState.FAILED, e);
            if (e instanceof Error || e instanceof BackfillException) {
                throw e;
            }
            throw new BackfillException("backfill of migration '" + id + "' failed", e);
        } finally {
            closeConnection();
        }
    }

    private long work(RunnerLock.Lease lease) {
        checkpoint = inTransaction((c, dsl) -> {
            TableSetup.ensure(b.dataSource, c, b.settings.createTables(), b.tables);
            return b.checkpoints.load(dsl, id).orElse(Checkpoint.start(id, b.clock.instant()));
        });
        estimatedTotal = inTransaction((c, dsl) -> b.dialect.estimateRows(c, b.migration.tableName()));
        LOG.info("Backfill of migration '{}' starts after key {} ({} rows done, ~{} rows in the table)", id,
                checkpoint.lastKey(), checkpoint.rowsDone(), estimatedTotal);
        if (checkpoint.state() != BackfillState.COMPLETED && !walk(lease)) {
            setState(BackfillState.CANCELLED);
            return 0;
        }
        long drained = drainRepairs();
        if (b.control.cancelled()) {
            setState(BackfillState.CANCELLED);
            return drained;
        }
        setState(BackfillState.COMPLETED);
        LOG.info("Backfill of migration '{}' completed: {} rows walked, {} written, {} repairs drained", id,
                checkpoint.rowsDone(), checkpoint.rowsUpdated(), drained);
        if (updatedThisRun > 0 && b.settings.tidyWhenComplete()) {
            tidy();
        }
        return drained;
    }

    /**
     * Has the database tidy the table the run wrote to, on the run's connection in autocommit mode
     * (the last use of it: the run closes it next); a failure is only logged.
     */
    private void tidy() {
        long t0 = System.nanoTime();
        try {
            Connection c = connection();
            c.setAutoCommit(true);
            b.dialect.tidyAfterBackfill(c, b.migration.tableName());
            LOG.info("Backfill of migration '{}': table tidied in {} ms", id, (System.nanoTime() - t0) / 1_000_000);
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            LOG.warn("Backfill of migration '{}': tidying the table after the backfill failed (the backfill itself "
                    + "completed): {}", id, e.toString());
        }
    }

    /** Walks the key space; returns false when cancelled. */
    private boolean walk(RunnerLock.Lease lease) {
        while (true) {
            if (!awaitRunnable()) {
                return false;
            }
            if (!lease.isHeld()) {
                throw new BackfillException("backfill of migration '" + id + "' lost its runner lock (its connection "
                        + "closed); stopped after key " + checkpoint.lastKey() + " so that no second runner overlaps", null);
            }
            if (!healthy()) {
                continue;
            }
            int size = sizer.size();
            long t0 = System.nanoTime();
            BatchWriter.Batch batch = inTransaction((c, dsl) -> {
                BatchWriter.Batch next = b.writer.next(c, dsl, checkpoint.lastKey(), size);
                if (next.walked() > 0) {
                    b.checkpoints.save(dsl, checkpoint.advance(next.lastKey(), next.walked(), next.updated(),
                            b.clock.instant()));
                }
                return next;
            });
            if (batch.walked() == 0) {
                return true;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            checkpoint = checkpoint.advance(batch.lastKey(), batch.walked(), batch.updated(), b.clock.instant());
            walkedThisRun += batch.walked();
            updatedThisRun += batch.updated();
            batches++;
            if (batch.walked() == size) {
                sizer.observe(took);
            }
            if (b.metrics != null) {
                b.metrics.batch(batch.walked(), batch.updated(), sizer.size());
            }
            publish();
            sleep(b.settings.restMillisAfter(batch.walked(), took));
        }
    }

    private long drainRepairs() {
        long drained = 0;
        int page = b.settings.repairPageSize();
        while (!b.control.cancelled()) {
            int n = inTransaction((c, dsl) -> {
                List<RepairLog.Entry> entries = b.repairs.pending(c, id, page);
                for (RepairLog.Entry e : entries) {
                    b.writer.repair(c, dsl, e.rowKey());
                    b.repairs.remove(c, id, e.rowKey());
                }
                return entries.size();
            });
            drained += n;
            if (n < page) {
                break;
            }
        }
        return drained;
    }

    private boolean awaitRunnable() {
        try {
            if (b.control.paused() && state != BackfillState.PAUSED) {
                LOG.warn("Backfill of migration '{}' paused by request after key {}", id, checkpoint.lastKey());
                setState(BackfillState.PAUSED);
            }
            boolean runnable = b.control.awaitRunnable();
            if (runnable && state == BackfillState.PAUSED && throttleReason == null) {
                LOG.warn("Backfill of migration '{}' resumed", id);
                state = BackfillState.RUNNING;
            }
            return runnable;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            b.control.cancel();
            return false;
        }
    }

    /** Applies the health readings; returns false when a critical signal paused this round. */
    private boolean healthy() {
        HealthReading reading = health.check();
        if (reading == null) {
            if (throttleReason != null) {
                LOG.warn("Backfill of migration '{}' back to full speed: health signals are OK", id);
                throttleReason = null;
                state = BackfillState.RUNNING;
                if (b.metrics != null) {
                    b.metrics.throttled(false);
                }
                publish();
            }
            return true;
        }
        String reason = reading.level() + " " + reading.signal() + ": " + reading.detail();
        if (throttleReason == null || !throttleReason.startsWith(reading.level() + " " + reading.signal() + ":")) {
            LOG.warn("Backfill of migration '{}' {} on {}", id,
                    reading.level() == HealthReading.Level.CRITICAL ? "paused" : "throttled", reason);
        }
        throttleReason = reason;
        if (b.metrics != null) {
            b.metrics.throttled(true);
        }
        if (reading.level() == HealthReading.Level.CRITICAL) {
            state = BackfillState.PAUSED;
            publish();
            sleep(b.settings.healthCheckInterval().toMillis());
            return false;
        }
        state = BackfillState.RUNNING;
        sizer.shrink();
        sleep(b.settings.throttlePause().toMillis());
        return true;
    }

    private void publish() {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        double rate = walkedThisRun / seconds;
        long left = estimatedTotal - checkpoint.rowsDone();
        Duration eta = rate > 0 && left > 0 ? Duration.ofMillis((long) (left / rate * 1000)) : null;
        b.listener.onProgress(new BackfillProgress(id, state, checkpoint.rowsDone(), checkpoint.rowsUpdated(),
                estimatedTotal, rate, eta, sizer.size(), throttleReason));
    }

    private void setState(BackfillState newState) {
        state = newState;
        checkpoint = checkpoint.withState(newState, b.clock.instant());
        Checkpoint toSave = checkpoint;
        inTransaction((c, dsl) -> {
            b.checkpoints.save(dsl, toSave);
            return null;
        });
        publish();
    }

    /**
     * Records why the run stopped, on a connection of its own (the run's may be the reason it
     * stopped): only the state, so that a checkpoint whose last commit the run did not hear back
     * from keeps its place.
     */
    private void recordStop(BackfillState stopped, Throwable cause) {
        Checkpoint fallback = checkpoint != null ? checkpoint : Checkpoint.start(id, b.clock.instant());
        state = stopped;
        try (Connection c = b.dataSource.getConnection()) {
            c.setAutoCommit(true);
            b.checkpoints.saveState(ServerDialect.using(c, b.dialect.sqlDialect()), fallback, stopped, b.clock.instant());
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
            LOG.warn("Backfill of migration '{}' stopped and could not record its {} state: {}", id, stopped,
                    e.toString());
        }
    }

    private Optional<RunnerLock.Lease> acquire() {
        RunnerLock lock = b.dialect.runnerLock(b.dataSource);
        long deadline = System.nanoTime() + b.settings.runnerWait().toNanos();
        boolean announced = false;
        while (true) {
            Optional<RunnerLock.Lease> lease;
            try {
                lease = lock.tryAcquire(id);
            } catch (SQLException e) {
                throw new BackfillException("could not ask for the runner lock of migration '" + id + "'", e);
            }
            long left = deadline - System.nanoTime();
            if (lease.isPresent() || left <= 0 || b.control.cancelled()) {
                return lease;
            }
            if (!announced) {
                LOG.warn("Backfill of migration '{}' waits up to {} for the runner that holds its lock", id,
                        Durations.format(b.settings.runnerWait()));
                announced = true;
            }
            sleep(Math.min(left / 1_000_000, b.settings.runnerPollInterval().toMillis()));
        }
    }

    /** Work in one transaction of the run's connection. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T apply(Connection connection, DSLContext dsl) throws SQLException;
    }

    /**
     * Runs {@code work} in a transaction, reconnecting after a lost connection (up to the configured
     * number of consecutive times) and re-reading the checkpoint, which is the truth after an
     * interrupted commit.
     */
    private <T> T inTransaction(SqlWork<T> work) {
        int failures = 0;
        while (true) {
            try {
                Connection c = connection();
                DSLContext dsl = ServerDialect.using(c, b.dialect.sqlDialect());
                try {
                    if (resync) {
                        checkpoint = b.checkpoints.load(dsl, id).orElse(checkpoint);
                        resync = false;
                    }
                    T result = work.apply(c, dsl);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException | RuntimeException e) {
                if (!ConnectionFailures.isLost(e, b.dialect)) {
                    if (e instanceof SQLException || e instanceof DataAccessException) {
                        throw new BackfillException("backfill of migration '" + id + "' failed after key "
                                + (checkpoint == null ? null : checkpoint.lastKey()), e);
                    }
                    throw (RuntimeException) e;
                }
                failures++;
                reconnects++;
                closeConnection();
                if (failures > b.settings.maxReconnects()) {
                    throw new BackfillException("backfill of migration '" + id + "' lost its connection "
                            + failures + " times in a row", e);
                }
                Duration delay = reconnectBackoff.delay(failures);
                LOG.warn("Backfill of migration '{}' lost its connection ({}); reconnecting in {} ms and resuming "
                        + "from the checkpoint", id, e.getMessage(), delay.toMillis());
                sleep(delay.toMillis());
                resync = checkpoint != null;
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = b.dataSource.getConnection();
            try {
                c.setAutoCommit(false);
                Connection labelled = b.dialect.labelled(c, "flagway-backfill:" + id);
                labelled.commit();
                connection = labelled;
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the backfill connection failed: {}", e.toString());
            }
            connection = null;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed: {}", e.toString());
        }
    }

    private void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            b.control.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            b.control.cancel();
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
