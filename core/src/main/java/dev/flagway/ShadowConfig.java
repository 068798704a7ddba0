package dev.flagway;

import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a migration's shadow reads: how many reads are compared, how long a shadow
 * read may take, and how results are compared. Shadow reads run off the caller's thread and never
 * slow or fail it.
 */
public final class ShadowConfig {
    private static final ShadowConfig DEFAULTS = custom().build();

    private final double sampleRate;
    private final double liveSampleRate;
    private final Duration timeout;
    private final boolean deterministic;
    private final ShadowComparator comparator;

    private ShadowConfig(Builder b) {
        this.sampleRate = b.sampleRate;
        this.liveSampleRate = b.liveSampleRate;
        this.timeout = b.timeout;
        this.deterministic = b.deterministic;
        this.comparator = b.comparator;
    }

    /** The defaults: every read compared in SHADOW, 1% in LIVE and RAMP_DOWN, 1 s timeout, random sampling, equality. */
    public static ShadowConfig ofDefaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** A builder starting from {@code base}. */
    public static Builder from(ShadowConfig base) {
        return new Builder(base);
    }

    /** Share of reads in {@link Stage#SHADOW} whose modern read is compared; default 1.0. */
    public double sampleRate() {
        return sampleRate;
    }

    /** Share of reads in {@link Stage#LIVE} and {@link Stage#RAMP_DOWN} whose legacy read is compared; default 0.01. */
    public double liveSampleRate() {
        return liveSampleRate;
    }

    /** How long a shadow read may run before it is cancelled and counted as a failure; default 1 s. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether sampling is decided by the targeting key (the same keys are always sampled); default false. */
    public boolean deterministic() {
        return deterministic;
    }

    /** How results are compared; default {@link ShadowComparator#equality()}. */
    public ShadowComparator comparator() {
        return comparator;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ShadowConfig)) {
            return false;
        }
        ShadowConfig that = (ShadowConfig) o;
        return sampleRate == that.sampleRate && liveSampleRate == that.liveSampleRate
                && deterministic == that.deterministic && timeout.equals(that.timeout)
                && comparator.equals(that.comparator);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sampleRate, liveSampleRate, timeout, deterministic, comparator);
    }

    @Override
    public String toString() {
        return "ShadowConfig{sample-rate=" + sampleRate + ", live-sample-rate=" + liveSampleRate
                + ", timeout=" + Durations.format(timeout) + ", deterministic=" + deterministic + '}';
    }

    /** Builds a {@link ShadowConfig}; every setter checks its argument. */
    public static final class Builder {
        private double sampleRate = 1.0;
        private double liveSampleRate = 0.01;
        private Duration timeout = Duration.ofSeconds(1);
        private boolean deterministic;
        private ShadowComparator comparator = EQUALITY;

        private static final ShadowComparator EQUALITY = ShadowComparator.equality();

        private Builder() {
        }

        private Builder(ShadowConfig c) {
            this.sampleRate = c.sampleRate;
            this.liveSampleRate = c.liveSampleRate;
            this.timeout = c.timeout;
            this.deterministic = c.deterministic;
            this.comparator = c.comparator;
        }

        /** See {@link ShadowConfig#sampleRate()}; a share in [0, 1]. */
        public Builder sampleRate(double share) {
            this.sampleRate = Checks.share("shadow sample-rate", share);
            return this;
        }

        /** See {@link ShadowConfig#liveSampleRate()}; a share in [0, 1]. */
        public Builder liveSampleRate(double share) {
            this.liveSampleRate = Checks.share("shadow live-sample-rate", share);
            return this;
        }

        /** See {@link ShadowConfig#timeout()}; positive. */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive("shadow timeout", timeout);
            return this;
        }

        /** See {@link ShadowConfig#deterministic()}. */
        public Builder deterministic(boolean deterministic) {
            this.deterministic = deterministic;
            return this;
        }

        /** See {@link ShadowConfig#comparator()}. */
        public Builder comparator(ShadowComparator comparator) {
            this.comparator = Checks.notNull("shadow comparator", comparator);
            return this;
        }

        /** The immutable settings. */
        public ShadowConfig build() {
            return new ShadowConfig(this);
        }
    }
}
