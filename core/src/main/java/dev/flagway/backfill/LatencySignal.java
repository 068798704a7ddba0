package dev.flagway.backfill;

import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.HealthSignal;
import dev.flagway.internal.Checks;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.step.StepMeterRegistry;
import io.micrometer.core.instrument.step.StepTimer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A health signal fed by the application's own latency: a Micrometer {@link Timer} the application
 * already records (its requests, or its queries on the migrated table), or every timer of one name
 * (Spring Boot's {@code http.server.requests}, one timer per URI, method and status), or any other
 * {@link Source} of cumulative request counts and times, compared with the same source's mean over a
 * baseline window measured before the backfill's first batch. It watches what a
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
 * <p>The timers' counts and total times must be cumulative, as in {@code SimpleMeterRegistry} (by
 * default), Prometheus or JMX registries; a step-based registry's timer reports only its last step
 * and is rejected.
 *
 * <p>Over a {@linkplain #builder(MeterRegistry, String) meter name}, each read looks the timers of that
 * name up again and adds up, timer by timer, what each recorded since it was last seen: a timer that
 * appears during the backfill (the first request to a new URI or with a new status) counts with the
 * requests it recorded since it appeared, all of them within the interval, and a timer removed from
 * the registry stops counting without taking its past requests back. A step timer that appears later
 * (a step registry added to a composite one) is skipped, with a warning.
 *
 * <pre>{@code
 * Timer requests = registry.timer("http.server.requests", "uri", "/users/{id}");
 * Backfill.builder(migration, dataSource, dialect).addHealthSignal(LatencySignal.of(requests)).build();
 * // or every request the application serves:
 * Backfill.builder(migration, dataSource, dialect)
 *         .addHealthSignal(LatencySignal.builder(registry, "http.server.requests").build()).build();
 * }</pre>
 */
public final class LatencySignal implements HealthSignal {
    /** The signal's name in readings. */
    public static final String NAME = "application-latency";

    private static final Logger LOG = LoggerFactory.getLogger(LatencySignal.class);

    private final Source source;
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
        this.source = b.source;
        this.throttleAt = b.throttleAt;
        this.criticalAt = b.criticalAt;
        this.baselineWindow = b.baselineWindow;
        this.minSamples = b.minSamples;
        this.sleeper = sleeper;
        mark(source.read());
    }

    /** The signal over {@code timer} with the default settings. */
    public static LatencySignal of(Timer timer) {
        return builder(timer).build();
    }

    /**
     * A builder over {@code timer}.
     *
     * @throws IllegalArgumentException when it is a step timer, whose count covers only the last step
     */
    public static Builder builder(Timer timer) {
        Checks.notNull("latency timer", timer);
        requireCumulative(timer);
        return new Builder(() -> Totals.of(timer));
    }

    /**
     * A builder over every timer named {@code meterName} in {@code registry}, whatever its tags, found
     * again at each read (timers that appear later count from when they appear). None need exist yet.
     *
     * @throws IllegalArgumentException when the registry is step-based or a timer of that name is a step timer
     */
    public static Builder builder(MeterRegistry registry, String meterName) {
        Checks.notNull("meter registry", registry);
        Checks.notNull("latency meter name", meterName);
        if (meterName.isBlank()) {
            throw new IllegalArgumentException("latency meter name must not be blank");
        }
        if (registry instanceof StepMeterRegistry) {
            throw new IllegalArgumentException("meter registry " + registry.getClass().getSimpleName() + " is step-"
                    + "based, so the count and total time of its timers cover only the last step; give a cumulative "
                    + "registry");
        }
        registry.find(meterName).timers().forEach(LatencySignal::requireCumulative);
        return new Builder(new NamedTimers(registry, meterName));
    }

    /**
     * A builder over any source of cumulative request counts and times, such as a server's own
     * request statistics.
     */
    public static Builder builder(Source source) {
        return new Builder(Checks.notNull("latency source", source));
    }

    private static void requireCumulative(Timer timer) {
        if (timer instanceof StepTimer) {
            throw new IllegalArgumentException("latency timer '" + timer.getId().getName() + "' is a step timer, "
                    + "whose count and total time cover only the last step; give one from a cumulative registry");
        }
    }

    @Override
    public HealthReading read() throws InterruptedException {
        if (inactive != null) {
            return HealthReading.ok(NAME, inactive);
        }
        if (Double.isNaN(baselineNanos)) {
            return measureBaseline();
        }
        Totals now = source.read();
        long requests = now.count() - count;
        if (requests < 0) {
            mark(now);
            return HealthReading.ok(NAME, "the timer's count went back; judging from here on");
        }
        if (requests < minSamples) {
            return HealthReading.ok(NAME, requests + " requests since the last judged reading, too few to judge");
        }
        double mean = (now.totalNanos() - total) / requests;
        mark(now);
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
        Totals now = source.read();
        long requests = now.count() - count;
        if (requests < minSamples) {
            inactive = "no baseline: " + requests + " requests before the backfill (fewer than " + minSamples
                    + "), so nothing to protect";
            return HealthReading.ok(NAME, inactive);
        }
        baselineNanos = (now.totalNanos() - total) / requests;
        mark(now);
        return HealthReading.ok(NAME, "baseline mean " + millis(baselineNanos) + " over " + requests + " requests");
    }

    private void mark(Totals now) {
        count = now.count();
        total = now.totalNanos();
    }

    private static String millis(double nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /**
     * Where the signal reads the application's latency: cumulative totals of the requests completed
     * so far, read once when the signal is created and at each of its reads. Called from the
     * backfill's thread only.
     */
    @FunctionalInterface
    public interface Source {
        /** The requests completed so far and their total time; neither decreases between reads. */
        Totals read();
    }

    /**
     * Cumulative latency totals.
     *
     * @param count the requests completed so far; not negative
     * @param totalNanos their total time in nanoseconds; not negative
     */
    public record Totals(long count, double totalNanos) {
        /** Checks the totals. */
        public Totals {
            if (count < 0 || !(totalNanos >= 0)) {
                throw new IllegalArgumentException("latency totals must not be negative but were " + count
                        + " requests, " + totalNanos + " ns");
            }
        }

        /** {@code timer}'s totals now. */
        static Totals of(Timer timer) {
            return new Totals(timer.count(), timer.totalTime(TimeUnit.NANOSECONDS));
        }
    }

    /**
     * Every timer of one name, added up from the per-timer growth since each was last seen, so a timer
     * that appears counts from zero and one that disappears takes nothing back.
     */
    private static final class NamedTimers implements Source {
        private final MeterRegistry registry;
        private final String name;
        private final Map<Meter.Id, Totals> seen = new HashMap<>();
        private final Set<Meter.Id> skipped = new HashSet<>();
        private long count;
        private double total;

        NamedTimers(MeterRegistry registry, String name) {
            this.registry = registry;
            this.name = name;
        }

        @Override
        public Totals read() {
            Map<Meter.Id, Totals> now = new HashMap<>();
            for (Timer timer : registry.find(name).timers()) {
                if (timer instanceof StepTimer) {
                    if (skipped.add(timer.getId())) {
                        LOG.warn("Latency signal skips timer {}: a step timer, whose count covers only the last step",
                                timer.getId());
                    }
                    continue;
                }
                Totals current = Totals.of(timer);
                Totals before = seen.getOrDefault(timer.getId(), new Totals(0, 0));
                boolean reset = current.count() < before.count(); // removed and registered again meanwhile
                count += reset ? current.count() : current.count() - before.count();
                total += Math.max(0, reset ? current.totalNanos() : current.totalNanos() - before.totalNanos());
                now.put(timer.getId(), current);
            }
            seen.clear();
            seen.putAll(now);
            return new Totals(count, total);
        }
    }

    /** Waits out the baseline window; a seam for tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Builds a {@link LatencySignal}; every setter checks its argument. */
    public static final class Builder {
        private final Source source;
        private double throttleAt = 1.5;
        private double criticalAt = 3.0;
        private Duration baselineWindow = Duration.ofSeconds(5);
        private int minSamples = 20;

        private Builder(Source source) {
            this.source = source;
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
