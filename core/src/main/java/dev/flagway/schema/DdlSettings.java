package dev.flagway.schema;

import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import java.time.Duration;

/**
 * Timeouts and retries of the lock-safe DDL executor. Immutable; build with {@link #custom()}.
 * Defaults: lock timeout 2 s, statement timeout 30 s, online lock timeout 10 s, long statement
 * timeout 2 h, 10 attempts, backoff from 250 ms doubling up to 10 s with full jitter.
 */
public final class DdlSettings {
    private final Duration lockTimeout;
    private final Duration statementTimeout;
    private final Duration onlineLockTimeout;
    private final Duration longStatementTimeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private DdlSettings(Builder b) {
        this.lockTimeout = b.lockTimeout;
        this.statementTimeout = b.statementTimeout;
        this.onlineLockTimeout = b.onlineLockTimeout;
        this.longStatementTimeout = b.longStatementTimeout;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
    }

    /** A builder holding these settings, to derive changed ones (e.g. one migration's overrides). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.lockTimeout = lockTimeout;
        b.statementTimeout = statementTimeout;
        b.onlineLockTimeout = onlineLockTimeout;
        b.longStatementTimeout = longStatementTimeout;
        b.maxAttempts = maxAttempts;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        return b;
    }

    /** The defaults. */
    public static DdlSettings ofDefaults() {
        return custom().build();
    }

    /** A builder starting from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** How long a {@link DdlMode#QUICK} or {@link DdlMode#VALIDATE} statement may wait for its lock. */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /** How long a {@link DdlMode#QUICK} statement may run. */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    /** How long an {@link DdlMode#ONLINE} statement may wait for a lock. */
    public Duration onlineLockTimeout() {
        return onlineLockTimeout;
    }

    /** How long a {@link DdlMode#VALIDATE} or {@link DdlMode#ONLINE} statement may run. */
    public Duration longStatementTimeout() {
        return longStatementTimeout;
    }

    /** How many times a statement is tried when it times out waiting for a lock. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The first backoff between attempts (before jitter). */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** The largest backoff between attempts. */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** The lock timeout for a statement of {@code mode}. */
    public Duration lockTimeout(DdlMode mode) {
        return mode == DdlMode.ONLINE ? onlineLockTimeout : lockTimeout;
    }

    /** The statement timeout for a statement of {@code mode}. */
    public Duration statementTimeout(DdlMode mode) {
        return mode == DdlMode.QUICK ? statementTimeout : longStatementTimeout;
    }

    @Override
    public String toString() {
        return "DdlSettings{lock-timeout=" + Durations.format(lockTimeout)
                + ", statement-timeout=" + Durations.format(statementTimeout)
                + ", online-lock-timeout=" + Durations.format(onlineLockTimeout)
                + ", long-statement-timeout=" + Durations.format(longStatementTimeout)
                + ", max-attempts=" + maxAttempts + ", initial-backoff=" + Durations.format(initialBackoff)
                + ", max-backoff=" + Durations.format(maxBackoff) + '}';
    }

    /** Builds {@link DdlSettings}; every setter checks its argument. */
    public static final class Builder {
        private Duration lockTimeout = Duration.ofSeconds(2);
        private Duration statementTimeout = Duration.ofSeconds(30);
        private Duration onlineLockTimeout = Duration.ofSeconds(10);
        private Duration longStatementTimeout = Duration.ofHours(2);
        private int maxAttempts = 10;
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Lock wait of quick and validating statements; positive. */
        public Builder lockTimeout(Duration value) {
            this.lockTimeout = Checks.positive("ddl lock-timeout", value);
            return this;
        }

        /** Run time of quick statements; positive. */
        public Builder statementTimeout(Duration value) {
            this.statementTimeout = Checks.positive("ddl statement-timeout", value);
            return this;
        }

        /** Lock wait of online statements; positive. */
        public Builder onlineLockTimeout(Duration value) {
            this.onlineLockTimeout = Checks.positive("ddl online-lock-timeout", value);
            return this;
        }

        /** Run time of validating and online statements; positive. */
        public Builder longStatementTimeout(Duration value) {
            this.longStatementTimeout = Checks.positive("ddl long-statement-timeout", value);
            return this;
        }

        /** Attempts per statement; at least 1. */
        public Builder maxAttempts(int value) {
            this.maxAttempts = Checks.atLeast("ddl max-attempts", value, 1);
            return this;
        }

        /** First backoff; positive. */
        public Builder initialBackoff(Duration value) {
            this.initialBackoff = Checks.positive("ddl initial-backoff", value);
            return this;
        }

        /** Largest backoff; positive. */
        public Builder maxBackoff(Duration value) {
            this.maxBackoff = Checks.positive("ddl max-backoff", value);
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalStateException when the initial backoff exceeds the largest one
         */
        public DdlSettings build() {
            if (initialBackoff.compareTo(maxBackoff) > 0) {
                throw new IllegalStateException("ddl initial-backoff " + Durations.format(initialBackoff)
                        + " must not exceed max-backoff " + Durations.format(maxBackoff));
            }
            return new DdlSettings(this);
        }
    }
}
