package dev.flagway.verify;

import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import java.time.Duration;

/**
 * How a {@link Verifier} walks the table. Immutable; build with {@link #custom()}. Defaults: chunks of
 * 50,000 keys, 2 chunks at once, 20 sample keys of each kind of failure, 30 s per chunk query.
 *
 * <p>A chunk costs a few round trips besides its rows (its transaction, the statement timeout, its
 * last key); at 10,000 keys they were about half of a SQL-transform verification's time on a busy
 * server, while a chunk of 50,000 keys still reads in tens of milliseconds. Two chunks at once put a
 * second server process to work, as PostgreSQL's parallel workers do for one statement over the whole
 * table, while each chunk stays one short transaction; on a small server that second process competes
 * with the application's requests, which {@code parallelism(1)} avoids at about half the speed.
 */
public final class VerifySettings {
    private final int chunkSize;
    private final int parallelism;
    private final int sampleSize;
    private final Duration statementTimeout;

    private VerifySettings(Builder b) {
        this.chunkSize = b.chunkSize;
        this.parallelism = b.parallelism;
        this.sampleSize = b.sampleSize;
        this.statementTimeout = b.statementTimeout;
    }

    /** The defaults. */
    public static VerifySettings ofDefaults() {
        return custom().build();
    }

    /** A builder starting from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** A builder holding these settings, to derive changed ones (e.g. one migration's overrides). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.chunkSize = chunkSize;
        b.parallelism = parallelism;
        b.sampleSize = sampleSize;
        b.statementTimeout = statementTimeout;
        return b;
    }

    /** Keys per chunk query. */
    public int chunkSize() {
        return chunkSize;
    }

    /** How many chunks are checked at once, each on its own connection. */
    public int parallelism() {
        return parallelism;
    }

    /** How many keys of each kind of failure the report lists. */
    public int sampleSize() {
        return sampleSize;
    }

    /** The longest a chunk query may run. */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    @Override
    public String toString() {
        return "VerifySettings{chunk-size=" + chunkSize + ", parallelism=" + parallelism + ", sample-size="
                + sampleSize + ", statement-timeout=" + Durations.format(statementTimeout) + "}";
    }

    /** Builds {@link VerifySettings}; every setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private int chunkSize = 50_000;
        private int parallelism = 2;
        private int sampleSize = 20;
        private Duration statementTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** Keys per chunk query; at least 1. */
        public Builder chunkSize(int value) {
            this.chunkSize = Checks.atLeast("verify chunk-size", value, 1);
            return this;
        }

        /**
         * How many chunks are checked at once, each on its own connection (so the data source must
         * allow that many); at least 1. A Java transform is then called from as many threads.
         */
        public Builder parallelism(int value) {
            this.parallelism = Checks.atLeast("verify parallelism", value, 1);
            return this;
        }

        /** How many keys of each kind of failure the report lists; 0 or more. */
        public Builder sampleSize(int value) {
            this.sampleSize = Checks.atLeast("verify sample-size", value, 0);
            return this;
        }

        /** The longest a chunk query may run; positive. */
        public Builder statementTimeout(Duration value) {
            this.statementTimeout = Checks.positive("verify statement-timeout", value);
            return this;
        }

        /** The settings. */
        public VerifySettings build() {
            return new VerifySettings(this);
        }
    }
}
