package dev.flagway.mysql;

import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the MySQL/MariaDB dialect. Immutable; build with {@link #custom()}. Defaults:
 * metadata-lock wait 2 s, no DDL that blocks writes (table copies, locked rebuilds), {@code Threads_running} throttles the backfill from 32
 * and pauses it from 64, replica lag throttles from 5 s and pauses from 30 s.
 */
public final class MySqlSettings {
    private final Duration lockWaitTimeout;
    private final String blockingDdlReason;
    private final int threadsRunningThrottle;
    private final int threadsRunningCritical;
    private final Duration replicaLagThrottle;
    private final Duration replicaLagCritical;

    private MySqlSettings(Builder b) {
        this.lockWaitTimeout = b.lockWaitTimeout;
        this.blockingDdlReason = b.blockingDdlReason;
        this.threadsRunningThrottle = b.threadsRunningThrottle;
        this.threadsRunningCritical = b.threadsRunningCritical;
        this.replicaLagThrottle = b.replicaLagThrottle;
        this.replicaLagCritical = b.replicaLagCritical;
    }

    /** The defaults. */
    public static MySqlSettings ofDefaults() {
        return custom().build();
    }

    /** A builder starting from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * The longest any DDL statement waits for its metadata lock, to the millisecond: whole seconds
     * through {@code lock_wait_timeout}, fractions by cancelling the waiting statement. It caps the
     * executor's lock timeout of every mode: on MySQL every ALTER, online or not, queues an exclusive
     * metadata lock that stalls every later query on the table while it waits.
     */
    public Duration lockWaitTimeout() {
        return lockWaitTimeout;
    }

    /** The metadata-lock wait of a statement the executor gives {@code requested}: the smaller of the two. */
    Duration lockWaitBudget(Duration requested) {
        return requested.compareTo(lockWaitTimeout) < 0 ? requested : lockWaitTimeout;
    }

    /**
     * The {@code lock_wait_timeout} for a statement the executor gives {@code requested}: its
     * {@linkplain #lockWaitBudget budget} in the whole seconds the server takes, rounded up, at least 1.
     */
    long lockWaitSeconds(Duration requested) {
        return Math.max(1, (lockWaitBudget(requested).toMillis() + 999) / 1000);
    }

    /**
     * Why DDL that blocks writes is allowed, when it is; empty (the default) refuses every request
     * that would copy the table or lock it against writes.
     */
    public Optional<String> blockingDdlReason() {
        return Optional.ofNullable(blockingDdlReason);
    }

    /** {@code Threads_running} from which the backfill slows down. */
    public int threadsRunningThrottle() {
        return threadsRunningThrottle;
    }

    /** {@code Threads_running} from which the backfill pauses. */
    public int threadsRunningCritical() {
        return threadsRunningCritical;
    }

    /** Replica lag from which the backfill slows down. */
    public Duration replicaLagThrottle() {
        return replicaLagThrottle;
    }

    /** Replica lag from which the backfill pauses. */
    public Duration replicaLagCritical() {
        return replicaLagCritical;
    }

    @Override
    public String toString() {
        return "MySqlSettings{lock-wait-timeout=" + Durations.format(lockWaitTimeout)
                + ", blocking-ddl=" + (blockingDdlReason == null ? "refused" : "allowed (" + blockingDdlReason + ")")
                + ", threads-running=" + threadsRunningThrottle + "/" + threadsRunningCritical
                + ", replica-lag=" + Durations.format(replicaLagThrottle) + "/" + Durations.format(replicaLagCritical)
                + '}';
    }

    /** Builds {@link MySqlSettings}; every setter checks its argument. */
    public static final class Builder {
        private Duration lockWaitTimeout = Duration.ofSeconds(2);
        private String blockingDdlReason;
        private int threadsRunningThrottle = 32;
        private int threadsRunningCritical = 64;
        private Duration replicaLagThrottle = Duration.ofSeconds(5);
        private Duration replicaLagCritical = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The longest metadata-lock wait of any DDL statement; positive, kept to the millisecond. */
        public Builder lockWaitTimeout(Duration value) {
            this.lockWaitTimeout = Checks.positive("mysql lock-wait-timeout", value);
            return this;
        }

        /**
         * Allows requests that block writes for their whole run, for a maintenance window: table
         * copies ({@code ALGORITHM=COPY, LOCK=SHARED}) and locked rebuilds ({@code ALGORITHM=INPLACE,
         * LOCK=SHARED}). The reason is logged with every such statement.
         */
        public Builder allowBlockingDdl(String reason) {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("mysql allow-blocking-ddl needs a reason, but was '" + reason + "'");
            }
            this.blockingDdlReason = reason;
            return this;
        }

        /** {@code Threads_running} that throttles the backfill; at least 1. */
        public Builder threadsRunningThrottle(int value) {
            this.threadsRunningThrottle = Checks.atLeast("mysql threads-running-throttle", value, 1);
            return this;
        }

        /** {@code Threads_running} that pauses the backfill; at least 1. */
        public Builder threadsRunningCritical(int value) {
            this.threadsRunningCritical = Checks.atLeast("mysql threads-running-critical", value, 1);
            return this;
        }

        /** Replica lag that throttles the backfill; positive. */
        public Builder replicaLagThrottle(Duration value) {
            this.replicaLagThrottle = Checks.positive("mysql replica-lag-throttle", value);
            return this;
        }

        /** Replica lag that pauses the backfill; positive. */
        public Builder replicaLagCritical(Duration value) {
            this.replicaLagCritical = Checks.positive("mysql replica-lag-critical", value);
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalStateException when a throttle level is above its critical level
         */
        public MySqlSettings build() {
            if (threadsRunningThrottle > threadsRunningCritical) {
                throw new IllegalStateException("mysql threads-running-throttle (" + threadsRunningThrottle
                        + ") must not exceed threads-running-critical (" + threadsRunningCritical + ")");
            }
            if (replicaLagThrottle.compareTo(replicaLagCritical) > 0) {
                throw new IllegalStateException("mysql replica-lag-throttle (" + Durations.format(replicaLagThrottle)
                        + ") must not exceed replica-lag-critical (" + Durations.format(replicaLagCritical) + ")");
            }
            return new MySqlSettings(this);
        }
    }
}
