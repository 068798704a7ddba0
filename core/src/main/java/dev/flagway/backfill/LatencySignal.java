package dev.flagway.backfill;

import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.HealthSignal;
import dev.flagway.internal.Checks;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.step.StepTimer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A health signal fed by the application's own latency: a Micrometer {@link Timer} the application
 * already records (its requests, or its queries on the migrated table), compared with the same
 * timer's mean over a baseline window measured before the backfill's first batch. It watches what a
 * backfill must not hurt, whatever the cause (CPU, I/O, log flushes, row locks), where the database
 * signals only watch proxies.
 *
 * <p>Each read takes the timer's mean latency over the requests completed since the last judged read
 * and divides it by the baseline mean: THROTTLE from {@link Builder#throttleAt(double)} (default
 * 1.5), CRITICAL from {@link Builder#criticalAt(double)} (default 3). It judges the mean, not a
 * percentile, because the mean of an interval follows from any timer's cumulative count and total
 * time, whereas percentiles need a histogram that registries keep over windows of minutes; the mean
 * includes the tail, such as requests waiting for a batch's row locks. An interval with fewer than
 * {@link Builder#minSamples(int)} requests is not judged (its requests count toward the next).
 *
 * <p>The baseline is the timer's mean from the signal's creation to its first read, which comes
 * before the backfill's first batch and waits until at least {@link Builder#baselineWindow(Duration)}
 * (default 5 s) has passed since the creation. So create the signal while the application runs as
 * usual, shortly before the backfill: created right before it, the backfill waits the window out;
 * created earlier, it does not wait. When fewer than the minimum requests completed by then there is
 * nothing to protect and the signal reads OK from then on. A signal takes its baseline once: create
 * one for each backfill run.
 *
 * <p>The timer's count and total time must be cumulative, as in {@code SimpleMeterRegistry} (by
 * default), Prometheus or JMX registries; a step-based registry's timer reports only its last step
 * and is rejected.
 *
 * <pre>{@code
 * Timer requests = registry.timer("http.server.requests", "uri", "/users/{id}");
 * Backfill.builder(migration, dataSource, dialect).addHealthSignal(LatencySignal.of(requests)).build();
 * }</pre>
 */
public final class LatencySignal implements HealthSignal {
    /** The signal's name in readings. */
    public static final String NAME = "application-latency";

    private final Timer timer;
    private final double throttleAt;
    private final double criticalAt;
    private final Duration baselineWindow;
    private final int minSamples;
    private final Sleeper sleeper;
    private final long createdNanos = System.nanoTime();
    private double baselineNanos = Double.NaN;
    private String inactive;
    private long count;
    private double total;

    private LatencySignal(Builder b, Sleeper sleeper) {
        this.timer = b.timer;
        this.throttleAt = b.throttleAt;
        this.criticalAt = b.criticalAt;
        this.baselineWindow = b.baselineWindow;
        this.minSamples = b.minSamples;
        this.sleeper = sleeper;
        mark();
    }

    /** The signal over {@code timer} with the default settings. */
    public static LatencySignal of(Timer timer) {
        return builder(timer).build();
    }

    /** A builder over {@code timer}. */
    public static Builder builder(Timer timer) {
        return new Builder(timer);
    }

    @Override
    public HealthReading read() throws InterruptedException {
        if (inactive != null) {
            return HealthReading.ok(NAME, inactive);
        }
        if (Double.isNaN(baselineNanos)) {
            return measureBaseline();
        }
        long requests = timer.count() - count;
        if (requests < 0) {
            mark();
            return HealthReading.ok(NAME, "the timer's count went back; judging from here on");
        }
        if (requests < minSamples) {
            return HealthReading.ok(NAME, requests + " requests since the last judged reading, too few to judge");
        }
        double mean = (timer.totalTime(TimeUnit.NANOSECONDS) - total) / requests;
        mark();
        double ratio = mean / baselineNanos;
        HealthReading.Level level = ratio >= criticalAt ? HealthReading.Level.CRITICAL
                : ratio >= throttleAt ? HealthReading.Level.THROTTLE : HealthReading.Level.OK;
        return new HealthReading(NAME, level, String.format(Locale.ROOT,
                "mean %s over %d requests, %.2f× the baseline %s (throttle at %s×, critical at %s×)",
                millis(mean), requests, ratio, millis(baselineNanos), number(throttleAt), number(criticalAt)));
    }

    private HealthReading measureBaseline() throws InterruptedException {
        Duration left = baselineWindow.minusNanos(System.nanoTime() - createdNanos);
        if (!left.isNegative() && !left.isZero()) {
            sleeper.sleep(left);
        }
        long requests = timer.count() - count;
        if (requests < minSamples) {
            inactive = "no baseline: " + requests + " requests before the backfill (fewer than " + minSamples
                    + "), so nothing to protect";
            return HealthReading.ok(NAME, inactive);
        }
        baselineNanos = (timer.totalTime(TimeUnit.NANOSECONDS) - total) / requests;
        mark();
        return HealthReading.ok(NAME, "baseline mean " + millis(baselineNanos) + " over " + requests + " requests");
    }

    private void mark() {
        count = timer.count();
        total = timer.totalTime(TimeUnit.NANOSECONDS);
    }

    private static String millis(double nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** Waits out the baseline window; a seam for tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Builds a {@link LatencySignal}; every setter checks its argument. */
    public static final class Builder {
        private final Timer timer;
        private double throttleAt = 1.5;
        private double criticalAt = 3.0;
        private Duration baselineWindow = Duration.ofSeconds(5);
        private int minSamples = 20;

        private Builder(Timer timer) {
            this.timer = Checks.notNull("latency timer", timer);
            if (timer instanceof StepTimer) {
                throw new IllegalArgumentException("latency timer '" + timer.getId().getName() + "' is a step timer, "
                        + "whose count and total time cover only the last step; give one from a cumulative registry");
            }
        }

        /** THROTTLE when an interval's mean is at least this many times the baseline mean; above 1. */
        public Builder throttleAt(double ratio) {
            this.throttleAt = aboveOne("latency throttle-at ratio", ratio);
            return this;
        }

        /** CRITICAL (pause) when an interval's mean is at least this many times the baseline mean; above 1. */
        public Builder criticalAt(double ratio) {
            this.criticalAt = aboveOne("latency critical-at ratio", ratio);
            return this;
        }

        /** The shortest baseline: how long after the signal's creation its first read may come; positive. */
        public Builder baselineWindow(Duration value) {
            this.baselineWindow = Checks.positive("latency baseline-window", value);
            return this;
        }

        /** The fewest requests a baseline or an interval is judged on; at least 1. */
        public Builder minSamples(int value) {
            this.minSamples = Checks.atLeast("latency min-samples", value, 1);
            return this;
        }

        /**
         * The signal.
         *
         * @throws IllegalStateException when the critical ratio is below the throttle ratio
         */
        public LatencySignal build() {
            return build(duration -> Thread.sleep(duration.toMillis()));
        }

        LatencySignal build(Sleeper sleeper) {
            if (criticalAt < throttleAt) {
                throw new IllegalStateException("latency critical-at ratio (" + criticalAt
                        + ") must not be below the throttle-at ratio (" + throttleAt + ")");
            }
            return new LatencySignal(this, sleeper);
        }

        private static double aboveOne(String what, double value) {
            if (!(value > 1.0 && value < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(what + " must be a number above 1, e.g. 1.5, but was " + value);
            }
            return value;
        }
    }
}
