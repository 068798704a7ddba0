package dev.flagway.backfill;

import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import dev.flagway.internal.Identifiers;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.RepairLog;
import java.time.Duration;

/**
 * How a backfill paces itself. Immutable; build with {@link #custom()}. Defaults: batches aimed at
 * 200 ms, starting at 1,000 rows, between 10 and 25,000 rows; no rows-per-second cap; no rest between
 * batches; health read at most every second, a THROTTLE reading halves the batch and pauses 1 s; no
 * waiting for another runner; 5 reconnects after a lost connection; repair pages of 100; a row that
 * cannot be migrated stops the run ({@link TransformFailurePolicy#FAIL}); tables
 * {@value CheckpointStore#DEFAULT_TABLE}, {@value RepairLog#DEFAULT_TABLE} and
 * {@value BadRowLog#DEFAULT_TABLE}, created when missing; the table tidied when the backfill completes
 * ({@link #tidyWhenComplete()}).
 */
public final class BackfillSettings {
    private final Duration targetBatchDuration;
    private final int initialBatchSize;
    private final int minBatchSize;
    private final int maxBatchSize;
    private final int maxRowsPerSecond;
    private final double restRatio;
    private final Duration healthCheckInterval;
    private final Duration throttlePause;
    private final Duration runnerWait;
    private final Duration runnerPollInterval;
    private final int maxReconnects;
    private final int repairPageSize;
    private final boolean reverify;
    private final String checkpointTable;
    private final String repairTable;
    private final String badRowTable;
    private final TransformFailurePolicy transformFailurePolicy;
    private final boolean createTables;
    private final boolean tidyWhenComplete;

    private BackfillSettings(Builder b) {
        this.targetBatchDuration = b.targetBatchDuration;
        this.initialBatchSize = b.initialBatchSize;
        this.minBatchSize = b.minBatchSize;
        this.maxBatchSize = b.maxBatchSize;
        this.maxRowsPerSecond = b.maxRowsPerSecond;
        this.restRatio = b.restRatio;
        this.healthCheckInterval = b.healthCheckInterval;
        this.throttlePause = b.throttlePause;
        this.runnerWait = b.runnerWait;
        this.runnerPollInterval = b.runnerPollInterval;
        this.maxReconnects = b.maxReconnects;
        this.repairPageSize = b.repairPageSize;
        this.reverify = b.reverify;
        this.checkpointTable = b.checkpointTable;
        this.repairTable = b.repairTable;
        this.badRowTable = b.badRowTable;
        this.transformFailurePolicy = b.transformFailurePolicy;
        this.createTables = b.createTables;
        this.tidyWhenComplete = b.tidyWhenComplete;
    }

    /** A builder holding these settings, to derive changed ones (e.g. one migration's overrides). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.targetBatchDuration = targetBatchDuration;
        b.initialBatchSize = initialBatchSize;
        b.minBatchSize = minBatchSize;
        b.maxBatchSize = maxBatchSize;
        b.maxRowsPerSecond = maxRowsPerSecond;
        b.restRatio = restRatio;
        b.healthCheckInterval = healthCheckInterval;
        b.throttlePause = throttlePause;
        b.runnerWait = runnerWait;
        b.runnerPollInterval = runnerPollInterval;
        b.maxReconnects = maxReconnects;
        b.repairPageSize = repairPageSize;
        b.reverify = reverify;
        b.checkpointTable = checkpointTable;
        b.repairTable = repairTable;
        b.badRowTable = badRowTable;
        b.transformFailurePolicy = transformFailurePolicy;
        b.createTables = createTables;
        b.tidyWhenComplete = tidyWhenComplete;
        return b;
    }

    /** The defaults. */
    public static BackfillSettings ofDefaults() {
        return custom().build();
    }

    /** A builder starting from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** The batch duration the adaptive batch size aims at. */
    public Duration targetBatchDuration() {
        return targetBatchDuration;
    }

    /** The first batch's size. */
    public int initialBatchSize() {
        return initialBatchSize;
    }

    /** The smallest batch. */
    public int minBatchSize() {
        return minBatchSize;
    }

    /**
     * The largest batch; 25,000 rows by default. A batch holds its rows' locks until it commits, so
     * this bounds how long an application write can wait for one even when the adaptive size
     * misjudges (a slow stretch of rows, an I/O stall). At the 200 ms target the adaptive size settles
     * at 15,000–35,000 rows on a small (2-CPU) server; there a cap of 10,000 cost 8–24% of the
     * throughput, while with 25,000 no application query waited longer than 140 ms, a fourteenth of a
     * typical 2 s lock timeout.
     */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** The cap on keys walked per second; 0 for none. */
    public int maxRowsPerSecond() {
        return maxRowsPerSecond;
    }

    /**
     * The rest after each batch, as a multiple of the batch's duration; 0 for none. A duty cycle: 1.0
     * leaves the database to the application half of the time (gh-ost calls it the nice ratio).
     */
    public double restRatio() {
        return restRatio;
    }

    /** How often health signals are read at most (and re-read while paused by a critical one). */
    public Duration healthCheckInterval() {
        return healthCheckInterval;
    }

    /** The pause after a batch while a signal says THROTTLE. */
    public Duration throttlePause() {
        return throttlePause;
    }

    /** How long a run waits for another runner to release the migration's lock; zero returns at once. */
    public Duration runnerWait() {
        return runnerWait;
    }

    /** How often a waiting run tries the lock again. */
    public Duration runnerPollInterval() {
        return runnerPollInterval;
    }

    /** How many consecutive lost connections a run survives (reconnecting and resuming from its checkpoint). */
    public int maxReconnects() {
        return maxReconnects;
    }

    /** How many repair-log entries are drained per transaction. */
    public int repairPageSize() {
        return repairPageSize;
    }

    /** Whether rows whose new value differs from the derived one are rewritten too (not only NULLs). */
    public boolean reverify() {
        return reverify;
    }

    /** The checkpoint table. */
    public String checkpointTable() {
        return checkpointTable;
    }

    /** The repair-log table. */
    public String repairTable() {
        return repairTable;
    }

    /** The bad-row table, where {@link TransformFailurePolicy#SKIP_AND_RECORD} records rows it cannot migrate. */
    public String badRowTable() {
        return badRowTable;
    }

    /** What a row that cannot be migrated does to the run. */
    public TransformFailurePolicy transformFailurePolicy() {
        return transformFailurePolicy;
    }

    /**
     * Whether the run creates its missing tables (checkpoint, repair, bad rows); when false a missing
     * one stops it before any work, naming the table.
     */
    public boolean createTables() {
        return createTables;
    }

    /**
     * Whether a completed backfill has the database tidy the table ({@link
     * dev.flagway.dialect.Dialect#tidyAfterBackfill}): on PostgreSQL a {@code VACUUM (ANALYZE)}, which
     * removes the dead row version each of the backfill's updates left (otherwise every later read of
     * the table, the verification first, visits two versions per row until autovacuum comes) without
     * blocking reads or writes; nothing on MySQL and MariaDB, which update in place. A failure is
     * logged and does not fail the backfill.
     */
    public boolean tidyWhenComplete() {
        return tidyWhenComplete;
    }

    /**
     * How long to rest after a batch that walked {@code walked} keys in {@code took}: the rest ratio's
     * share of its duration, or longer when the rows-per-second cap needs it.
     */
    long restMillisAfter(int walked, Duration took) {
        long rest = (long) (took.toMillis() * restRatio);
        long capped = maxRowsPerSecond > 0 ? walked * 1000L / maxRowsPerSecond - took.toMillis() : 0;
        return Math.max(rest, capped);
    }

    @Override
    public String toString() {
        return "BackfillSettings{target-batch-duration=" + Durations.format(targetBatchDuration)
                + ", batch-size=" + initialBatchSize + " [" + minBatchSize + ".." + maxBatchSize + "]"
                + ", max-rows-per-second=" + maxRowsPerSecond + ", rest-ratio=" + restRatio
                + ", health-check-interval=" + Durations.format(healthCheckInterval)
                + ", throttle-pause=" + Durations.format(throttlePause)
                + ", runner-wait=" + Durations.format(runnerWait) + ", max-reconnects=" + maxReconnects
                + ", repair-page-size=" + repairPageSize + ", reverify=" + reverify
                + ", transform-failure-policy=" + transformFailurePolicy
                + ", checkpoint-table=" + checkpointTable + ", repair-table=" + repairTable
                + ", bad-row-table=" + badRowTable + ", create-tables=" + createTables
                + ", tidy-when-complete=" + tidyWhenComplete + '}';
    }

    /** Builds {@link BackfillSettings}; every setter checks its argument. */
    public static final class Builder {
        private Duration targetBatchDuration = Duration.ofMillis(200);
        private int initialBatchSize = 1_000;
        private int minBatchSize = 10;
        private int maxBatchSize = 25_000;
        private int maxRowsPerSecond;
        private double restRatio;
        private Duration healthCheckInterval = Duration.ofSeconds(1);
        private Duration throttlePause = Duration.ofSeconds(1);
        private Duration runnerWait = Duration.ZERO;
        private Duration runnerPollInterval = Duration.ofSeconds(1);
        private int maxReconnects = 5;
        private int repairPageSize = 100;
        private boolean reverify;
        private String checkpointTable = CheckpointStore.DEFAULT_TABLE;
        private String repairTable = RepairLog.DEFAULT_TABLE;
        private String badRowTable = BadRowLog.DEFAULT_TABLE;
        private TransformFailurePolicy transformFailurePolicy = TransformFailurePolicy.FAIL;
        private boolean createTables = true;
        private boolean tidyWhenComplete = true;

        private Builder() {
        }

        /** The batch duration to aim at; positive. */
        public Builder targetBatchDuration(Duration value) {
            this.targetBatchDuration = Checks.positive("backfill target-batch-duration", value);
            return this;
        }

        /** The first batch's size; at least 1. */
        public Builder initialBatchSize(int value) {
            this.initialBatchSize = Checks.atLeast("backfill initial-batch-size", value, 1);
            return this;
        }

        /** The smallest batch; at least 1. */
        public Builder minBatchSize(int value) {
            this.minBatchSize = Checks.atLeast("backfill min-batch-size", value, 1);
            return this;
        }

        /** The largest batch; at least 1. */
        public Builder maxBatchSize(int value) {
            this.maxBatchSize = Checks.atLeast("backfill max-batch-size", value, 1);
            return this;
        }

        /** A cap on keys walked per second; 0 for none. */
        public Builder maxRowsPerSecond(int value) {
            this.maxRowsPerSecond = Checks.atLeast("backfill max-rows-per-second", value, 0);
            return this;
        }

        /** The rest after each batch as a multiple of its duration; 0 (none) to 100. */
        public Builder restRatio(double value) {
            if (!(value >= 0.0 && value <= 100.0)) {
                throw new IllegalArgumentException("backfill rest-ratio must be between 0 and 100, e.g. 1.0, but was "
                        + value);
            }
            this.restRatio = value;
            return this;
        }

        /** How often health is read at most; positive. */
        public Builder healthCheckInterval(Duration value) {
            this.healthCheckInterval = Checks.positive("backfill health-check-interval", value);
            return this;
        }

        /** The pause after a batch while throttled; positive. */
        public Builder throttlePause(Duration value) {
            this.throttlePause = Checks.positive("backfill throttle-pause", value);
            return this;
        }

        /** How long to wait for another runner; zero or positive. */
        public Builder runnerWait(Duration value) {
            Checks.notNull("backfill runner-wait", value);
            if (value.isNegative()) {
                throw new IllegalArgumentException("backfill runner-wait must not be negative but was " + value);
            }
            this.runnerWait = value;
            return this;
        }

        /** How often a waiting run retries the lock; positive. */
        public Builder runnerPollInterval(Duration value) {
            this.runnerPollInterval = Checks.positive("backfill runner-poll-interval", value);
            return this;
        }

        /** Consecutive lost connections survived; 0 or more. */
        public Builder maxReconnects(int value) {
            this.maxReconnects = Checks.atLeast("backfill max-reconnects", value, 0);
            return this;
        }

        /** Repair entries per transaction; at least 1. */
        public Builder repairPageSize(int value) {
            this.repairPageSize = Checks.atLeast("backfill repair-page-size", value, 1);
            return this;
        }

        /** Whether differing (not only NULL) new values are rewritten. */
        public Builder reverify(boolean value) {
            this.reverify = value;
            return this;
        }

        /** The checkpoint table, {@code table} or {@code schema.table}. */
        public Builder checkpointTable(String value) {
            Identifiers.requireTableName("backfill checkpoint-table", value);
            this.checkpointTable = value;
            return this;
        }

        /** The repair-log table, {@code table} or {@code schema.table}. */
        public Builder repairTable(String value) {
            Identifiers.requireTableName("backfill repair-table", value);
            this.repairTable = value;
            return this;
        }

        /** The bad-row table, {@code table} or {@code schema.table}. */
        public Builder badRowTable(String value) {
            Identifiers.requireTableName("backfill bad-row-table", value);
            this.badRowTable = value;
            return this;
        }

        /** What a row that cannot be migrated does: stop the run, or be skipped and recorded. */
        public Builder transformFailurePolicy(TransformFailurePolicy value) {
            this.transformFailurePolicy = Checks.notNull("backfill transform-failure-policy", value);
            return this;
        }

        /** Whether missing tables are created (true by default). */
        public Builder createTables(boolean value) {
            this.createTables = value;
            return this;
        }

        /**
         * Whether a completed backfill tidies the table (true by default); see {@link
         * BackfillSettings#tidyWhenComplete()}.
         */
        public Builder tidyWhenComplete(boolean value) {
            this.tidyWhenComplete = value;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalStateException when the batch sizes are not ordered min &lt;= initial &lt;= max
         */
        public BackfillSettings build() {
            if (minBatchSize > initialBatchSize || initialBatchSize > maxBatchSize) {
                throw new IllegalStateException("backfill batch sizes must satisfy min-batch-size (" + minBatchSize
                        + ") <= initial-batch-size (" + initialBatchSize + ") <= max-batch-size (" + maxBatchSize + ")");
            }
            return new BackfillSettings(this);
        }
    }
}
