package dev.flagway.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Records every request of a run into the phase it belongs to and into a timeline of
 * {@value #TICK_MILLIS} ms slices, together with how reads were routed (from {@link RoutingCounters}).
 * Thread-safe; traffic threads call {@link #record}, the run calls {@link #phase}.
 */
final class RunRecorder implements AutoCloseable {
    static final long TICK_MILLIS = 250;

    private final RoutingCounters routing;
    private final long startNanos = System.nanoTime();
    private final List<Phase> phases = new ArrayList<>();
    private final List<Tick> ticks = new ArrayList<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicReference<Slice> slice = new AtomicReference<>(new Slice());
    private final ScheduledExecutorService ticker;
    private volatile Phase current;
    private long[] routingAtLastTick;

    /** Starts the timeline; requests are recorded from the first {@link #phase} on. */
    RunRecorder(RoutingCounters routing) {
        this.routing = routing;
        this.routingAtLastTick = totals();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-timeline");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Ends the current phase and starts {@code name}; requests from now on count for it. */
    synchronized void phase(String name) {
        endCurrentPhase();
        current = new Phase(name, seconds(), totals());
    }

    /** Records one finished request. */
    void record(long latencyNanos, Outcome outcome) {
        current.add(latencyNanos, outcome);
        slice.get().add(latencyNanos, outcome);
    }

    /** Records one failed request and the error it failed with. */
    void recordFailure(long latencyNanos, RuntimeException failure) {
        recordFailure(latencyNanos, Formats.rootMessage(failure));
    }

    /** Records one failed request and why it failed. */
    void recordFailure(long latencyNanos, String reason) {
        record(latencyNanos, Outcome.FAILED);
        errors.computeIfAbsent(reason.length() > 140 ? reason.substring(0, 140) + "..." : reason,
                m -> new LongAdder()).increment();
    }

    /** Why requests failed, most frequent first, with how often. */
    List<String> failureReasons() {
        return errors.entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue().sum(), x.getValue().sum()))
                .map(e -> Formats.count(e.getValue().sum()) + " x " + e.getKey())
                .collect(Collectors.toList());
    }

    /** Seconds since the run started. */
    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Stops the timeline and ends the last phase. */
    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        endCurrentPhase();
    }

    /** The phases so far, in order. */
    synchronized List<PhaseResult> phases() {
        List<PhaseResult> results = new ArrayList<>();
        for (Phase p : phases) {
            results.add(p.result);
        }
        return results;
    }

    /** The last timeline slice, if one has ended. */
    synchronized Optional<Tick> latestTick() {
        return ticks.isEmpty() ? Optional.empty() : Optional.of(ticks.get(ticks.size() - 1));
    }

    /** The timeline so far. */
    synchronized List<Tick> ticks() {
        return List.copyOf(ticks);
    }

    private void endCurrentPhase() {
        Phase p = current;
        if (p != null && p.result == null) {
            p.end(seconds(), totals());
            phases.add(p);
        }
    }

    private synchronized void tick() {
        Slice done = slice.getAndSet(new Slice());
        long[] now = totals();
        long modern = now[0] - routingAtLastTick[0];
        long legacy = now[1] - routingAtLastTick[1];
        long modernFailures = now[2] - routingAtLastTick[2];
        routingAtLastTick = now;
        long requests = done.requests.sum();
        long[] sorted = done.latency.sorted();
        ticks.add(new Tick(seconds(), ratio(done.failed.sum(), requests), share(modern, legacy),
                ratio(modernFailures, modern + modernFailures), LatencySamples.percentileMillis(sorted, 0.95)));
    }

    private long[] totals() {
        return new long[] {routing.modernReads(), routing.legacyReads(), routing.modernFailures(), routing.fallbacks(),
                routing.shadowMismatches()};
    }

    /** The share of answered reads that came from the new column; NaN when no read was answered. */
    private static double share(long modern, long legacy) {
        return modern + legacy == 0 ? Double.NaN : (double) modern / (modern + legacy);
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    /** The requests of one timeline slice. */
    private static final class Slice {
        final LongAdder requests = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LatencySamples latency = new LatencySamples();

        void add(long latencyNanos, Outcome outcome) {
            requests.increment();
            if (outcome == Outcome.FAILED) {
                failed.increment();
            }
            latency.add(latencyNanos);
        }
    }

    /** One phase while it runs. */
    private static final class Phase {
        final String name;
        final double startSecond;
        final long[] routingAtStart;
        final LongAdder requests = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder wrong = new LongAdder();
        final LatencySamples latency = new LatencySamples();
        PhaseResult result;

        Phase(String name, double startSecond, long[] routingAtStart) {
            this.name = name;
            this.startSecond = startSecond;
            this.routingAtStart = routingAtStart;
        }

        void add(long latencyNanos, Outcome outcome) {
            requests.increment();
            if (outcome == Outcome.FAILED) {
                failed.increment();
            } else if (outcome == Outcome.WRONG) {
                wrong.increment();
            }
            latency.add(latencyNanos);
        }

        void end(double endSecond, long[] routingAtEnd) {
            long modern = routingAtEnd[0] - routingAtStart[0];
            long legacy = routingAtEnd[1] - routingAtStart[1];
            long[] sorted = latency.sorted();
            result = new PhaseResult(name, startSecond, endSecond, requests.sum(), failed.sum(), wrong.sum(),
                    routingAtEnd[3] - routingAtStart[3], routingAtEnd[4] - routingAtStart[4], share(modern, legacy),
                    LatencySamples.percentileMillis(sorted, 0.50), LatencySamples.percentileMillis(sorted, 0.95),
                    LatencySamples.percentileMillis(sorted, 0.99));
        }
    }
}
