package dev.flagway.breaker;

import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process circuit breaker of one migration's modern path. It watches the modern calls' error
 * rate and latency, the modern p95 against the legacy p95 (when configured) and the shadow mismatch
 * rate over a sliding window of one-second buckets, and trips to {@link State#OPEN} when one of them
 * crosses its threshold in {@link BreakerConfig}. Open, {@link #allowsModern()} answers false until
 * {@link #reset(String)}, or, when {@link BreakerConfig#waitInOpen()} is set, until the wait elapses
 * and {@link State#HALF_OPEN} probe calls prove the modern path healthy again.
 *
 * <p>Thread-safe. {@link #allowsModern()} and the {@code record*} methods take no lock and allocate
 * nothing, except when they change the state (and once per second, when a window bucket is renewed).
 * Each state change is logged once at WARN and handed to the listeners on the changing thread.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.of("users-email", BreakerConfig.ofDefaults());
 * if (breaker.allowsModern()) {
 *     long start = breaker.now();
 *     try {
 *         value = readModern(key);
 *         breaker.recordModernSuccessSince(start);
 *     } catch (RuntimeException e) {
 *         breaker.recordModernFailureSince(start);
 *         value = readLegacy(key);
 *     }
 * }
 * }</pre>
 */
public final class CircuitBreaker {

    /** The breaker's states. */
    public enum State {
        /** Healthy: the modern path may be used, and its figures are judged. */
        CLOSED,
        /** Tripped: the modern path must not be used. */
        OPEN,
        /** Probing after a wait in open: the modern path may be used, and the next outcomes decide. */
        HALF_OPEN
    }

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);
    private static final long EVALUATION_INTERVAL_NANOS = 100_000_000L;
    /**
     * Calls per second timed one by one before {@link #startModernCall()} samples: enough that the
     * sampled estimate's noise stays far below the 5% slow-call margin from the first sampled call on.
     */
    private static final int EXACT_TIMING_CALLS_PER_SECOND = 1_000;
    /** The token of a modern call that is not timed; see {@link #startModernCall()}. */
    private static final long UNTIMED = Long.MIN_VALUE;
    /** Set in place of a half-open phase's probe count by its first bad probe; no later success reaches the goal. */
    private static final int PROBE_FAILED_MARK = Integer.MIN_VALUE;

    private final String name;
    private final BreakerConfig config;
    private final LongSupplier nanoClock;
    private final SlidingWindow window;
    // config values unwrapped once, so that the hot path neither allocates Optionals nor unboxes
    private final long slaNanos;
    private final long waitInOpenNanos;
    private final double legacyRatio;
    private final String slaText;
    private final String windowText;
    private final String waitInOpenText;
    private final AtomicReference<Phase> phase;
    private final AtomicLong nextEvaluationNanos;
    private final List<BreakerListener> listeners = new CopyOnWriteArrayList<>();
    // running totals since construction, read off the callers' path by the fleet health publisher
    private final LongAdder totalCalls = new LongAdder();
    private final LongAdder totalFailures = new LongAdder();
    private final LongAdder totalComparisons = new LongAdder();
    private final LongAdder totalMismatches = new LongAdder();

    private CircuitBreaker(String name, BreakerConfig config, LongSupplier nanoClock) {
        this.name = Checks.notNull("name", name);
        this.config = Checks.notNull("config", config);
        this.nanoClock = Checks.notNull("nanoClock", nanoClock);
        this.window = new SlidingWindow((int) config.window().toSeconds(),
                Math.max(EXACT_TIMING_CALLS_PER_SECOND, config.minimumCalls()));
        this.slaNanos = config.p95LatencyThreshold().toNanos();
        this.waitInOpenNanos = config.waitInOpen().map(Duration::toNanos).orElse(-1L);
        this.waitInOpenText = config.waitInOpen().map(Durations::format).orElse("latched");
        this.legacyRatio = config.p95LegacyRatioThreshold().orElse(0.0);
        this.slaText = Durations.format(config.p95LatencyThreshold());
        this.windowText = Durations.format(config.window());
        long now = nanoClock.getAsLong();
        this.phase = new AtomicReference<>(new Phase(State.CLOSED, now, false));
        this.nextEvaluationNanos = new AtomicLong(now);
    }

    /** A closed breaker timed by {@link System#nanoTime()}. */
    public static CircuitBreaker of(String name, BreakerConfig config) {
        return new CircuitBreaker(name, config, System::nanoTime);
    }

    /** A closed breaker timed by {@code nanoClock}, a monotonic nanosecond clock like {@link System#nanoTime()}. */
    public static CircuitBreaker of(String name, BreakerConfig config, LongSupplier nanoClock) {
        return new CircuitBreaker(name, config, nanoClock);
    }

    /** The breaker's name (the migration id). */
    public String name() {
        return name;
    }

    /** The breaker's settings. */
    public BreakerConfig config() {
        return config;
    }

    /**
     * What the breaker has recorded since it was built, unlike {@link #snapshot()} which covers the window
     * only: the fleet health publisher takes the difference between two readings.
     */
    public Totals totals() {
        return new Totals(totalCalls.sum(), totalFailures.sum(), totalComparisons.sum(), totalMismatches.sum());
    }

    /**
     * Running totals of a breaker since it was built.
     *
     * @param calls modern calls recorded (successes and failures)
     * @param failures failed modern calls
     * @param comparisons shadow comparisons
     * @param mismatches comparisons whose results differed
     */
    public record Totals(long calls, long failures, long comparisons, long mismatches) {
    }

    /** The current state. */
    public State state() {
        return phase.get().state;
    }

    /**
     * Whether the modern path may be used now: true when closed or half-open; false when open,
     * except that the first call after {@link BreakerConfig#waitInOpen()} has elapsed moves the
     * breaker to half-open and answers true. Lock-free and allocation-free unless it changes the state.
     */
    public boolean allowsModern() {
        Phase current = phase.get();
        if (current.state != State.OPEN) {
            return true;
        }
        if (current.latched) {
            return false;
        }
        long now = nanoClock.getAsLong();
        if (now - current.sinceNanos < waitInOpenNanos) {
            return false;
        }
        change(current, new Phase(State.HALF_OPEN, now, false), TransitionCause.WAIT_ELAPSED,
                "wait in open of " + waitInOpenText + " elapsed; letting modern calls through until "
                        + config.halfOpenCalls() + " probe calls have succeeded or one fails");
        return phase.get().state != State.OPEN;
    }

    /**
     * A reading of the breaker's clock, to time a call with: pass it to
     * {@link #recordModernSuccessSince(long)}, {@link #recordModernFailureSince(long)} or
     * {@link #recordLegacyLatencySince(long)} when the call ends, which read the clock only once more.
     */
    public long now() {
        return nanoClock.getAsLong();
    }

    /**
     * Starts a modern call whose latency may be estimated rather than measured; end it with
     * {@link #endModernCall(long, boolean)}. This is how Flagway's own routing times the modern path,
     * because a clock reading costs about as much as the rest of a routed call: while closed, every
     * call is timed until the current second has seen 1,000 calls (or {@link BreakerConfig#minimumCalls()}
     * if more), and beyond that one call in four at random, whose latency then counts four times in
     * the p95 and in the slow calls (an unbiased estimate). Every call still counts, and every failure,
     * and half-open probes are all timed. Below 1,000 calls a second nothing changes; above it the
     * latency figures rest on at least 1,000 timed calls a second and a quarter of the rest.
     *
     * @return a token for {@link #endModernCall(long, boolean)}, not a clock reading
     */
    public long startModernCall() {
        int weight = phase.get().state == State.CLOSED ? window.timingWeight() : 1;
        if (weight == 0) {
            return UNTIMED;
        }
        // the clock's lowest bit carries the weight: a nanosecond does not matter, a second field would
        long now = nanoClock.getAsLong();
        return weight == 1 ? now & ~1L : now | 1L;
    }

    /** Records the outcome of a call begun with {@link #startModernCall()}, which returned {@code token}. */
    public void endModernCall(long token, boolean failed) {
        if (token == UNTIMED) {
            if (failed) {
                recordModern(0L, 0, true, nanoClock.getAsLong());
            } else {
                window.countUntimedSuccess();
                totalCalls.increment();
            }
            return;
        }
        long now = nanoClock.getAsLong();
        recordModern(now - (token & ~1L), (token & 1L) == 0 ? 1 : SlidingWindow.TIMING_STRIDE, failed, now);
    }

    /** Records a modern call that succeeded after {@code latencyNanos}; a success slower than the SLA counts as slow. */
    public void recordModernSuccess(long latencyNanos) {
        recordModern(latencyNanos, 1, false, nanoClock.getAsLong());
    }

    /** Records a modern call that started at {@code startNanos} (a {@link #now()} reading) and has just succeeded. */
    public void recordModernSuccessSince(long startNanos) {
        long now = nanoClock.getAsLong();
        recordModern(now - startNanos, 1, false, now);
    }

    /** Records a modern call that failed after {@code latencyNanos}. */
    public void recordModernFailure(long latencyNanos) {
        recordModern(latencyNanos, 1, true, nanoClock.getAsLong());
    }

    /** Records a modern call that started at {@code startNanos} (a {@link #now()} reading) and has just failed. */
    public void recordModernFailureSince(long startNanos) {
        long now = nanoClock.getAsLong();
        recordModern(now - startNanos, 1, true, now);
    }

    /** Records a legacy call's latency, used only for {@link BreakerConfig#p95LegacyRatioThreshold()}. */
    public void recordLegacyLatency(long latencyNanos) {
        window.recordLegacy(nanoClock.getAsLong(), latencyNanos);
    }

    /** Records the latency of a legacy call that started at {@code startNanos} (a {@link #now()} reading) and has just ended. */
    public void recordLegacyLatencySince(long startNanos) {
        long now = nanoClock.getAsLong();
        window.recordLegacy(now, now - startNanos);
    }

    /** Records the outcome of one shadow comparison of a legacy and a modern read. */
    public void recordComparison(boolean matched) {
        long now = nanoClock.getAsLong();
        window.recordComparison(now, matched);
        totalComparisons.increment();
        if (!matched) {
            totalMismatches.increment();
        }
        Phase current = phase.get();
        if (!matched && current.state == State.CLOSED) {
            evaluate(current, now, false);
        }
    }

    /**
     * Trips the breaker by hand (cause {@link TransitionCause#MANUAL}). A manual open stays until
     * {@link #reset(String)}, even when a wait in open is configured; forcing an already open breaker
     * makes it stay so without a new transition.
     *
     * @param reason why, for the log and the audit trail
     */
    public void forceOpen(String reason) {
        Checks.notNull("reason", reason);
        long now = nanoClock.getAsLong();
        Phase latchedOpen = new Phase(State.OPEN, now, true);
        while (true) {
            Phase current = phase.get();
            if (current.latched) {
                return;
            }
            if (current.state == State.OPEN) {
                if (phase.compareAndSet(current, latchedOpen)) {
                    LOG.warn("Circuit breaker '{}' already open; now stays open until reset: {}", name, reason);
                    return;
                }
            } else if (change(current, latchedOpen, TransitionCause.MANUAL, "forced open: " + reason)) {
                return;
            }
        }
    }

    /**
     * Closes the breaker (cause {@link TransitionCause#RESET}) and clears its window. On a closed
     * breaker it only clears the window.
     *
     * @param actor who reset it, for the log and the audit trail
     */
    public void reset(String actor) {
        Checks.notNull("actor", actor);
        while (true) {
            Phase current = phase.get();
            if (current.state == State.CLOSED) {
                window.clear();
                LOG.info("Circuit breaker '{}' window cleared by {}", name, actor);
                return;
            }
            if (close(current, TransitionCause.RESET, "reset by " + actor + "; window cleared")) {
                return;
            }
        }
    }

    /** Adds a listener told about every later state change. */
    public void addListener(BreakerListener listener) {
        listeners.add(Checks.notNull("listener", listener));
    }

    /** The figures over the current window. */
    public WindowSnapshot snapshot() {
        return window.snapshot(nanoClock.getAsLong());
    }

    @Override
    public String toString() {
        return "CircuitBreaker{name=" + name + ", state=" + state() + '}';
    }

    /** Records a modern call whose latency counts {@code weight} times (0: untimed, never slow). */
    private void recordModern(long latencyNanos, int weight, boolean failed, long now) {
        boolean slow = weight > 0 && latencyNanos > slaNanos;
        window.recordModern(now, latencyNanos, weight, failed, slow);
        totalCalls.increment();
        if (failed) {
            totalFailures.increment();
        }
        Phase current = phase.get();
        if (current.state == State.HALF_OPEN) {
            probe(current, failed, slow, latencyNanos, now);
        } else if (current.state == State.CLOSED) {
            // failures and slow calls are rare, so judging on each makes trips prompt and deterministic;
            // successes judge at most every 100 ms, for the legacy ratio and for rates that rose as
            // older calls left the window
            if (failed || slow) {
                evaluate(current, now, false);
            } else if (evaluationDue(now)) {
                evaluate(current, now, true);
            }
        }
    }

    private boolean evaluationDue(long now) {
        long due = nextEvaluationNanos.get();
        return now - due >= 0 && nextEvaluationNanos.compareAndSet(due, now + EVALUATION_INTERVAL_NANOS);
    }

    /**
     * Judges the window and trips on the first threshold crossed: error rate, slow calls, modern p95
     * against legacy p95 (only when {@code withLegacyRatio}), mismatch rate. The figures named in the
     * trip's description are summed again then, which costs nothing on the paths that do not trip.
     */
    private void evaluate(Phase closed, long now, boolean withLegacyRatio) {
        int minimumCalls = config.minimumCalls();
        SlidingWindow.Breach breach = window.breach(now, minimumCalls, config.errorRateThreshold(),
                config.mismatchRateThreshold());
        if (breach == SlidingWindow.Breach.ERROR_RATE) {
            long calls = window.sum(SlidingWindow.CALLS, now);
            long failures = window.sum(SlidingWindow.FAILURES, now);
            String[] rates = percents(SlidingWindow.share(failures, calls), config.errorRateThreshold());
            trip(closed, now, TransitionCause.ERROR_RATE, String.format(Locale.ROOT,
                    "error rate %s (%d of %d calls) above threshold %s over %s",
                    rates[0], failures, calls, rates[1], windowText));
            return;
        }
        if (breach == SlidingWindow.Breach.SLOW_CALLS) {
            long calls = window.sum(SlidingWindow.CALLS, now);
            long slow = window.sum(SlidingWindow.SLOW, now);
            // the p95 exceeds the SLA exactly when more than 5% of the calls are slower than it
            trip(closed, now, TransitionCause.P95_LATENCY, String.format(Locale.ROOT,
                    "p95 latency above SLA %s: %s of calls (%d of %d) slower, more than 5%%, over %s",
                    slaText, percent(SlidingWindow.share(slow, calls)), slow, calls, windowText));
            return;
        }
        if (withLegacyRatio && legacyRatio > 0 && window.sum(SlidingWindow.CALLS, now) >= minimumCalls
                && window.sum(SlidingWindow.LEGACY_CALLS, now) >= minimumCalls) {
            long modernP95 = window.p95Nanos(SlidingWindow.MODERN, now);
            long legacyP95 = window.p95Nanos(SlidingWindow.LEGACY, now);
            if (modernP95 > legacyRatio * legacyP95) {
                trip(closed, now, TransitionCause.P95_LEGACY_RATIO, String.format(Locale.ROOT,
                        "modern p95 %s more than %s times legacy p95 %s over %s",
                        readable(modernP95), legacyRatio, readable(legacyP95), windowText));
                return;
            }
        }
        if (breach == SlidingWindow.Breach.MISMATCH_RATE) {
            long comparisons = window.sum(SlidingWindow.COMPARISONS, now);
            long mismatches = window.sum(SlidingWindow.MISMATCHES, now);
            String[] rates = percents(SlidingWindow.share(mismatches, comparisons), config.mismatchRateThreshold());
            trip(closed, now, TransitionCause.MISMATCH_RATE, String.format(Locale.ROOT,
                    "mismatch rate %s (%d of %d comparisons) above threshold %s over %s",
                    rates[0], mismatches, comparisons, rates[1], windowText));
        }
    }

    private void probe(Phase halfOpen, boolean failed, boolean slow, long latencyNanos, long now) {
        int goal = config.halfOpenCalls();
        if (failed || slow) {
            int passed = halfOpen.probes.getAndSet(PROBE_FAILED_MARK);
            if (passed >= 0 && passed < goal) {
                String outcome = failed
                        ? "failed after " + readable(latencyNanos)
                        : "took " + readable(latencyNanos) + ", above SLA " + slaText;
                trip(halfOpen, now, TransitionCause.PROBE_FAILED, "probe call " + (passed + 1) + " of " + goal + " "
                        + outcome + "; open again for " + waitInOpenText);
            }
        } else if (halfOpen.probes.incrementAndGet() == goal) {
            close(halfOpen, TransitionCause.PROBE_PASSED, goal + " probe calls succeeded within SLA "
                    + slaText + "; window cleared");
        }
    }

    private void trip(Phase from, long now, TransitionCause cause, String description) {
        change(from, new Phase(State.OPEN, now, waitInOpenNanos < 0), cause, description);
    }

    private boolean change(Phase from, Phase to, TransitionCause cause, String description) {
        if (!phase.compareAndSet(from, to)) {
            return false;
        }
        announce(from.state, to.state, cause, description, window.snapshot(to.sinceNanos));
        return true;
    }

    private boolean close(Phase from, TransitionCause cause, String description) {
        long now = nanoClock.getAsLong();
        WindowSnapshot last = window.snapshot(now);
        // cleared before closing, so that no evaluation in the new closed phase sees the old figures
        window.clear();
        if (!phase.compareAndSet(from, new Phase(State.CLOSED, now, false))) {
            return false;
        }
        announce(from.state, State.CLOSED, cause, description, last);
        return true;
    }

    private void announce(State from, State to, TransitionCause cause, String description, WindowSnapshot figures) {
        LOG.warn("Circuit breaker '{}' {} -> {} ({}): {}", name, from, to, cause, description);
        BreakerTransition transition = new BreakerTransition(name, from, to, cause, description, figures, Instant.now());
        for (BreakerListener listener : listeners) {
            try {
                listener.onTransition(transition);
            } catch (RuntimeException e) {
                LOG.error("Circuit breaker '{}' listener {} failed on {} -> {}", name, listener, from, to, e);
            }
        }
    }

    /**
     * A rate and the threshold it crossed as percentages, with as many decimals (one at least, six at
     * most) as it takes for the two to read differently: "1.02%" above "1.00%", not "1.0%" above "1.0%".
     */
    static String[] percents(double rate, double threshold) {
        for (int decimals = 1; ; decimals++) {
            String format = "%." + decimals + "f%%";
            String r = String.format(Locale.ROOT, format, rate * 100);
            String t = String.format(Locale.ROOT, format, threshold * 100);
            if (!r.equals(t) || decimals == 6) {
                return new String[] {r, t};
            }
        }
    }

    private static String percent(double ratio) {
        double percent = ratio * 100;
        return String.format(Locale.ROOT, percent > 0 && percent < 0.1 ? "%.2g%%" : "%.1f%%", percent);
    }

    private static String readable(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
        }
        if (nanos >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
        }
        if (nanos >= 1_000L) {
            return String.format(Locale.ROOT, "%.1fus", nanos / 1e3);
        }
        return nanos + "ns";
    }

    /**
     * A state and when it began. Replaced, never changed, on every transition, so that a CAS from
     * the phase a thread observed succeeds at most once.
     */
    private static final class Phase {
        final State state;
        final long sinceNanos;
        /** Open until reset, whatever the wait in open. */
        final boolean latched;
        /** Successful probes in this half-open phase; negative after a bad one. */
        final AtomicInteger probes = new AtomicInteger();

        Phase(State state, long sinceNanos, boolean latched) {
            this.state = state;
            this.sinceNanos = sinceNanos;
            this.latched = latched;
        }
    }
}
