package dev.flagway.breaker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code seconds} seconds of a breaker's figures, in a ring of one-second buckets. Lock-free
 * and, except once per second when a bucket is replaced, allocation-free when recording.
 *
 * <p>A thread that fetched a bucket just before another thread replaced it (on rollover or
 * {@link #clear()}) adds to the discarded bucket, so those few counts are lost. Rates judged over
 * at least the minimum number of calls tolerate that, and it keeps the hot path free of locks.
 */
final class SlidingWindow {
    static final int CALLS = 0;
    static final int FAILURES = 1;
    static final int SLOW = 2;
    static final int COMPARISONS = 3;
    static final int MISMATCHES = 4;
    static final int LEGACY_CALLS = 5;
    private static final int COUNTERS = 6;

    static final int MODERN = 0;
    static final int LEGACY = 1;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Fills empty slots; older than any real second, so it is never recorded into nor read. */
    private static final Bucket NONE = new Bucket(Long.MIN_VALUE);

    private final int seconds;
    private final AtomicReferenceArray<Bucket> ring;

    SlidingWindow(int seconds) {
        this.seconds = seconds;
        this.ring = new AtomicReferenceArray<>(seconds);
        clear();
    }

    void recordModern(long now, long latencyNanos, boolean failed, boolean slow) {
        Bucket bucket = bucketAt(now);
        bucket.counters.incrementAndGet(CALLS);
        if (failed) {
            bucket.counters.incrementAndGet(FAILURES);
        }
        if (slow) {
            bucket.counters.incrementAndGet(SLOW);
        }
        bucket.latencies[MODERN].record(latencyNanos);
    }

    void recordLegacy(long now, long latencyNanos) {
        Bucket bucket = bucketAt(now);
        bucket.counters.incrementAndGet(LEGACY_CALLS);
        bucket.latencies[LEGACY].record(latencyNanos);
    }

    void recordComparison(long now, boolean matched) {
        Bucket bucket = bucketAt(now);
        bucket.counters.incrementAndGet(COMPARISONS);
        if (!matched) {
            bucket.counters.incrementAndGet(MISMATCHES);
        }
    }

    /** Which rate a window's figures put above its threshold, most severe first. */
    enum Breach { NONE, ERROR_RATE, SLOW_CALLS, MISMATCH_RATE }

    /**
     * Judges the window's rates at {@code now} in one pass over the buckets: the error rate above
     * {@code maxErrorRate}, then more than 5% slow calls (the p95 above the SLA), both once there are
     * {@code minimumCalls} calls; then the mismatch rate above {@code maxMismatchRate}, once there
     * are {@code minimumCalls} comparisons.
     */
    Breach breach(long now, int minimumCalls, double maxErrorRate, double maxMismatchRate) {
        long oldest = secondOf(now) - seconds;
        long calls = 0;
        long failures = 0;
        long slow = 0;
        long comparisons = 0;
        long mismatches = 0;
        for (int i = 0; i < seconds; i++) {
            Bucket bucket = ring.get(i);
            if (bucket.second > oldest) {
                AtomicLongArray counters = bucket.counters;
                calls += counters.get(CALLS);
                failures += counters.get(FAILURES);
                slow += counters.get(SLOW);
                comparisons += counters.get(COMPARISONS);
                mismatches += counters.get(MISMATCHES);
            }
        }
        if (calls >= minimumCalls) {
            if ((double) failures / calls > maxErrorRate) {
                return Breach.ERROR_RATE;
            }
            if (slow * 20 > calls) {
                return Breach.SLOW_CALLS;
            }
        }
        if (comparisons >= minimumCalls && (double) mismatches / comparisons > maxMismatchRate) {
            return Breach.MISMATCH_RATE;
        }
        return Breach.NONE;
    }

    /** The window's total of {@code counter} at {@code now}. */
    long sum(int counter, long now) {
        long oldest = secondOf(now) - seconds;
        long total = 0;
        for (int i = 0; i < seconds; i++) {
            Bucket bucket = ring.get(i);
            if (bucket.second > oldest) {
                total += bucket.counters.get(counter);
            }
        }
        return total;
    }

    /** The estimated nearest-rank p95 latency of {@code path} ({@link #MODERN} or {@link #LEGACY}); 0 when none. */
    long p95Nanos(int path, long now) {
        long oldest = secondOf(now) - seconds;
        long total = 0;
        for (int i = 0; i < seconds; i++) {
            Bucket bucket = ring.get(i);
            if (bucket.second > oldest) {
                for (int slot = 0; slot < LatencyHistogram.SLOTS; slot++) {
                    total += bucket.latencies[path].count(slot);
                }
            }
        }
        long rank = (total * 19 + 19) / 20; // ceil(0.95 * total)
        long seen = 0;
        int lastFilled = 0;
        for (int slot = 0; slot < LatencyHistogram.SLOTS; slot++) {
            long inSlot = 0;
            for (int i = 0; i < seconds; i++) {
                Bucket bucket = ring.get(i);
                if (bucket.second > oldest) {
                    inSlot += bucket.latencies[path].count(slot);
                }
            }
            if (inSlot > 0) {
                seen += inSlot;
                lastFilled = slot;
                if (seen >= rank) {
                    return LatencyHistogram.midpoint(slot);
                }
            }
        }
        // reached only when buckets were replaced between the two passes
        return seen == 0 ? 0 : LatencyHistogram.midpoint(lastFilled);
    }

    WindowSnapshot snapshot(long now) {
        long calls = sum(CALLS, now);
        long failures = sum(FAILURES, now);
        long comparisons = sum(COMPARISONS, now);
        long mismatches = sum(MISMATCHES, now);
        return new WindowSnapshot(calls, failures, share(failures, calls),
                Duration.ofNanos(p95Nanos(MODERN, now)), Duration.ofNanos(p95Nanos(LEGACY, now)),
                comparisons, mismatches, share(mismatches, comparisons));
    }

    /** Forgets every figure. */
    void clear() {
        for (int i = 0; i < seconds; i++) {
            ring.set(i, NONE);
        }
    }

    private Bucket bucketAt(long now) {
        long second = secondOf(now);
        int index = (int) Math.floorMod(second, (long) seconds);
        Bucket fresh = null;
        while (true) {
            Bucket current = ring.get(index);
            // a thread whose clock reading is a little behind records into the newer bucket
            if (current.second >= second) {
                return current;
            }
            if (fresh == null) {
                fresh = new Bucket(second);
            }
            if (ring.compareAndSet(index, current, fresh)) {
                return fresh;
            }
        }
    }

    private static long secondOf(long nanos) {
        return Math.floorDiv(nanos, NANOS_PER_SECOND);
    }

    /** {@code part / whole}, 0 for an empty whole. */
    static double share(long part, long whole) {
        return whole == 0 ? 0.0 : (double) part / whole;
    }

    private static final class Bucket {
        final long second;
        final AtomicLongArray counters = new AtomicLongArray(COUNTERS);
        final LatencyHistogram[] latencies = {new LatencyHistogram(), new LatencyHistogram()};

        Bucket(long second) {
            this.second = second;
        }
    }
}
