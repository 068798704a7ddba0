package dev.flagway.breaker;

import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable settings of a migration's {@link CircuitBreaker}. {@link #ofDefaults()} follows the
 * runbook: trip above 1% modern-path errors or when the modern p95 latency exceeds the SLA
 * (250 ms), over a 10 s window once 100 calls were seen; stay open until an operator resets.
 */
public final class BreakerConfig {
    private static final BreakerConfig DEFAULTS = custom().build();

    private final double errorRateThreshold;
    private final Duration p95LatencyThreshold;
    private final double p95LegacyRatioThreshold;
    private final double mismatchRateThreshold;
    private final Duration window;
    private final int minimumCalls;
    private final Duration waitInOpen;
    private final int halfOpenCalls;

    private BreakerConfig(Builder b) {
        this.errorRateThreshold = b.errorRateThreshold;
        this.p95LatencyThreshold = b.p95LatencyThreshold;
        this.p95LegacyRatioThreshold = b.p95LegacyRatioThreshold;
        this.mismatchRateThreshold = b.mismatchRateThreshold;
        this.window = b.window;
        this.minimumCalls = b.minimumCalls;
        this.waitInOpen = b.waitInOpen;
        this.halfOpenCalls = b.halfOpenCalls;
    }

    /** The default settings. */
    public static BreakerConfig ofDefaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** A builder starting from {@code base}'s settings. */
    public static Builder from(BreakerConfig base) {
        return new Builder(base);
    }

    /** Share of failed modern calls in the window above which the breaker trips; default 0.01. */
    public double errorRateThreshold() {
        return errorRateThreshold;
    }

    /** The SLA: the breaker trips when the modern path's p95 latency in the window exceeds it; default 250 ms. */
    public Duration p95LatencyThreshold() {
        return p95LatencyThreshold;
    }

    /**
     * Optional relative SLA: trip when the modern p95 exceeds this multiple of the legacy p95 in the
     * same window (e.g. 2.0). Empty by default (not checked).
     */
    public Optional<Double> p95LegacyRatioThreshold() {
        return p95LegacyRatioThreshold > 0 ? Optional.of(p95LegacyRatioThreshold) : Optional.empty();
    }

    /** Share of shadow comparisons that mismatch above which the breaker trips; default 0.01. */
    public double mismatchRateThreshold() {
        return mismatchRateThreshold;
    }

    /** Length of the sliding window, made of one-second buckets; default 10 s. */
    public Duration window() {
        return window;
    }

    /** Calls (or comparisons, for the mismatch rate) the window must hold before a rate is judged; default 100. */
    public int minimumCalls() {
        return minimumCalls;
    }

    /**
     * How long the breaker stays open before letting {@link #halfOpenCalls()} probe calls through.
     * Empty by default: open is latched until {@link CircuitBreaker#reset(String)}.
     */
    public Optional<Duration> waitInOpen() {
        return Optional.ofNullable(waitInOpen);
    }

    /** Probe calls allowed in half-open; all must succeed to close again; default 10. */
    public int halfOpenCalls() {
        return halfOpenCalls;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BreakerConfig)) {
            return false;
        }
        BreakerConfig that = (BreakerConfig) o;
        return errorRateThreshold == that.errorRateThreshold
                && p95LegacyRatioThreshold == that.p95LegacyRatioThreshold
                && mismatchRateThreshold == that.mismatchRateThreshold
                && minimumCalls == that.minimumCalls
                && halfOpenCalls == that.halfOpenCalls
                && p95LatencyThreshold.equals(that.p95LatencyThreshold)
                && window.equals(that.window)
                && Objects.equals(waitInOpen, that.waitInOpen);
    }

    @Override
    public int hashCode() {
        return Objects.hash(errorRateThreshold, p95LatencyThreshold, p95LegacyRatioThreshold,
                mismatchRateThreshold, window, minimumCalls, waitInOpen, halfOpenCalls);
    }

    @Override
    public String toString() {
        return "BreakerConfig{error-rate-threshold=" + errorRateThreshold
                + ", p95-latency-threshold=" + Durations.format(p95LatencyThreshold)
                + ", p95-legacy-ratio-threshold=" + (p95LegacyRatioThreshold > 0 ? p95LegacyRatioThreshold : "none")
                + ", mismatch-rate-threshold=" + mismatchRateThreshold
                + ", window=" + Durations.format(window)
                + ", minimum-calls=" + minimumCalls
                + ", wait-in-open=" + (waitInOpen == null ? "latched" : Durations.format(waitInOpen))
                + ", half-open-calls=" + halfOpenCalls + '}';
    }

    /** Builds a {@link BreakerConfig}; every setter checks its argument and names the bad value. */
    public static final class Builder {
        private double errorRateThreshold = 0.01;
        private Duration p95LatencyThreshold = Duration.ofMillis(250);
        private double p95LegacyRatioThreshold;
        private double mismatchRateThreshold = 0.01;
        private Duration window = Duration.ofSeconds(10);
        private int minimumCalls = 100;
        private Duration waitInOpen;
        private int halfOpenCalls = 10;

        private Builder() {
        }

        private Builder(BreakerConfig c) {
            this.errorRateThreshold = c.errorRateThreshold;
            this.p95LatencyThreshold = c.p95LatencyThreshold;
            this.p95LegacyRatioThreshold = c.p95LegacyRatioThreshold;
            this.mismatchRateThreshold = c.mismatchRateThreshold;
            this.window = c.window;
            this.minimumCalls = c.minimumCalls;
            this.waitInOpen = c.waitInOpen;
            this.halfOpenCalls = c.halfOpenCalls;
        }

        /** See {@link BreakerConfig#errorRateThreshold()}; a ratio in (0, 1]. */
        public Builder errorRateThreshold(double ratio) {
            this.errorRateThreshold = Checks.ratio("error-rate-threshold", ratio);
            return this;
        }

        /** See {@link BreakerConfig#p95LatencyThreshold()}; positive. */
        public Builder p95LatencyThreshold(Duration sla) {
            this.p95LatencyThreshold = Checks.positive("p95-latency-threshold", sla);
            return this;
        }

        /** See {@link BreakerConfig#p95LegacyRatioThreshold()}; greater than 1. */
        public Builder p95LegacyRatioThreshold(double multiple) {
            if (!(multiple > 1.0) || Double.isInfinite(multiple)) {
                throw new IllegalArgumentException(
                        "p95-legacy-ratio-threshold must be a finite multiple greater than 1, e.g. 2.0, but was " + multiple);
            }
            this.p95LegacyRatioThreshold = multiple;
            return this;
        }

        /** See {@link BreakerConfig#mismatchRateThreshold()}; a ratio in (0, 1]. */
        public Builder mismatchRateThreshold(double ratio) {
            this.mismatchRateThreshold = Checks.ratio("mismatch-rate-threshold", ratio);
            return this;
        }

        /** See {@link BreakerConfig#window()}; whole seconds, from 1 s to 1 h. */
        public Builder window(Duration window) {
            Checks.positive("window", window);
            if (window.toNanos() % 1_000_000_000L != 0 || window.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(
                        "window must be whole seconds between 1s and 1h but was " + Durations.format(window));
            }
            this.window = window;
            return this;
        }

        /** See {@link BreakerConfig#minimumCalls()}; at least 1. */
        public Builder minimumCalls(int calls) {
            this.minimumCalls = Checks.atLeast("minimum-calls", calls, 1);
            return this;
        }

        /** See {@link BreakerConfig#waitInOpen()}; positive, or {@code null} to latch open until reset. */
        public Builder waitInOpen(Duration wait) {
            this.waitInOpen = wait == null ? null : Checks.positive("wait-in-open", wait);
            return this;
        }

        /** See {@link BreakerConfig#halfOpenCalls()}; at least 1. */
        public Builder halfOpenCalls(int calls) {
            this.halfOpenCalls = Checks.atLeast("half-open-calls", calls, 1);
            return this;
        }

        /** The immutable settings. */
        public BreakerConfig build() {
            return new BreakerConfig(this);
        }
    }
}
