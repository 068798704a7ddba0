package dev.flagway.breaker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code seconds} seconds of a breaker's figures, in a ring of one-second buckets. Lock-free
 * and, except once per second when a bucket is replaced and the earlier seconds' totals are summed,
 * allocation-free when recording and judging.
 *
 * <p>A thread that fetched a bucket just before another thread replaced it (on rollover or
 * {@link #clear()}) adds to the discarded bucket, so those few counts are lost. Rates judged over
 * at least the minimum number of calls tolerate that, and it keeps the hot path free of locks.
 *
 * <p>Judging reads figures that other threads keep adding to, so it reads the earlier seconds from
 * their totals, which never change once summed, and the current second from one bucket, fetched
 * once, whose counts only grow while it is read; see {@link #p95Nanos} for why that matters.
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

    /**
     * Once a second has seen its floor of calls, one call in this many is timed, and its latency
     * counts this many times; a power of two.
     */
    static final int TIMING_STRIDE = 4;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Fills empty slots; older than any real second, so it is never recorded into, only read as an empty second. */
    private static final Bucket NONE = new Bucket(Long.MIN_VALUE);

    private final int seconds;
    private final int timingFloor;
    private final AtomicReferenceArray<Bucket> ring;
    /** The newest bucket, where calls that read no clock are counted. */
    private volatile Bucket latest = NONE;
    /** The judged counters' totals over the seconds before the current one; see {@link #breach}. */
    private final AtomicReference<Sealed> sealed = new AtomicReference<>();

    /**
     * A window of {@code seconds} one-second buckets, timing every modern call of a second until it
     * has seen {@code timingFloor} calls (see {@link #timingWeight()}).
     */
    SlidingWindow(int seconds, int timingFloor) {
        this.seconds = seconds;
        this.timingFloor = timingFloor;
        this.ring = new AtomicReferenceArray<>(seconds);
        clear();
    }

    /**
     * How the next modern call is to be timed: the weight its latency will carry, or 0 for not at all.
     * Every call is timed (weight 1) until the newest second has seen the floor of calls, which keeps
     * a quiet window's latency figures exact; beyond it one call in {@link #TIMING_STRIDE}, at random,
     * is timed and stands for that many, which keeps the latency counts and the p95 an unbiased
     * estimate while most calls read no clock at all.
     */
    int timingWeight() {
        if (latest.counters.get(CALLS) < timingFloor) {
            return 1;
        }
        return (ThreadLocalRandom.current().nextInt() & (TIMING_STRIDE - 1)) == 0 ? TIMING_STRIDE : 0;
    }

    /** Records a modern call; its latency counts {@code weight} times, not at all for 0 (untimed). */
    void recordModern(long now, long latencyNanos, int weight, boolean failed, boolean slow) {
        Bucket bucket = bucketAt(now);
        bucket.counters.incrementAndGet(CALLS);
        if (failed) {
            bucket.counters.incrementAndGet(FAILURES);
        }
        if (weight > 0) {
            if (slow) {
                bucket.counters.addAndGet(SLOW, weight);
            }
            bucket.latencies[MODERN].record(latencyNanos, weight);
        }
    }

    /**
     * Counts a modern call that succeeded untimed, in the newest bucket, so without a clock reading.
     * Once in a while the newest bucket is a second behind: timed calls move it on.
     */
    void countUntimedSuccess() {
        Bucket bucket = latest;
        if (bucket != NONE) { // cleared meanwhile: NONE is shared and must stay empty
            bucket.counters.incrementAndGet(CALLS);
        }
    }

    void recordLegacy(long now, long latencyNanos) {
        Bucket bucket = bucketAt(now);
        bucket.counters.incrementAndGet(LEGACY_CALLS);
        bucket.latencies[LEGACY].record(latencyNanos, 1);
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
     * Judges the window's rates at {@code now}: the error rate above {@code maxErrorRate}, then more
     * than 5% slow calls (the p95 above the SLA), both once there are {@code minimumCalls} calls;
     * then the mismatch rate above {@code maxMismatchRate}, once there are {@code minimumCalls}
     * comparisons. It reads only the current second's bucket and the totals of the earlier seconds,
     * which are summed once per second, so judging costs the same whatever the window's length.
     */
    Breach breach(long now, int minimumCalls, double maxErrorRate, double maxMismatchRate) {
        long second = secondOf(now);
        Sealed past = sealedBefore(second);
        long calls = past.calls;
        long failures = past.failures;
        long slow = past.slow;
        long comparisons = past.comparisons;
        long mismatches = past.mismatches;
        Bucket current = ring.get(indexOf(second));
        if (current.second == second) {
            AtomicLongArray counters = current.counters;
            calls += counters.get(CALLS);
            failures += counters.get(FAILURES);
            slow += counters.get(SLOW);
            comparisons += counters.get(COMPARISONS);
            mismatches += counters.get(MISMATCHES);
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

    /** The totals of the window's seconds before {@code second}, summed now unless already published. */
    private Sealed sealedBefore(long second) {
        Sealed past = sealed.get();
        return past.second == second ? past : seal(past, second);
    }

    /**
     * Sums the window's buckets before {@code second}. Published unless the window was cleared
     * meanwhile ({@link #clear()} replaces the totals after emptying the ring, so a sum of the old
     * buckets cannot outlive it) or a later second's totals are already published (a thread whose
     * clock reading lags must not make the others sum again); a thread that still adds to one of
     * those buckets after this sum is counted from the next second's sum on.
     */
    private Sealed seal(Sealed previous, long second) {
        long oldest = second - seconds;
        long[] totals = new long[MISMATCHES + 1];
        long[][] latencies = new long[2][LatencyHistogram.SLOTS];
        for (int i = 0; i < seconds; i++) {
            Bucket bucket = ring.get(i);
            if (bucket.second > oldest && bucket.second < second) {
                for (int counter = CALLS; counter <= MISMATCHES; counter++) {
                    totals[counter] += bucket.counters.get(counter);
                }
                for (int path = MODERN; path <= LEGACY; path++) {
                    for (int slot = 0; slot < LatencyHistogram.SLOTS; slot++) {
                        latencies[path][slot] += bucket.latencies[path].count(slot);
                    }
                }
            }
        }
        Sealed fresh = new Sealed(second, totals, latencies);
        if (second > previous.second) {
            sealed.compareAndSet(previous, fresh);
        }
        return fresh;
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

    /**
     * The estimated nearest-rank p95 latency of {@code path} ({@link #MODERN} or {@link #LEGACY}) at
     * {@code now}; 0 when none. One pass counts the latencies, a second walks the slots to the
     * 95th percentile's rank; other threads keep recording in between, so the second pass may see
     * more latencies than the first counted. Walking up to a rank taken from the smaller count then
     * stops early: had the legacy p95 been read that way while a descheduled judge's histogram grew
     * threefold, it would be a third of the real one, and a healthy modern path would trip on the
     * legacy ratio. So the passes see only growing counts (the earlier seconds' immutable totals and
     * one bucket for the current second), and the modern p95 is walked up from the fastest slot while
     * the legacy p95 is walked down from the slowest: whatever is recorded meanwhile, the modern
     * estimate is never above, and the legacy estimate never below, the p95 of the figures present
     * when the counting pass ended, so the ratio of the two errs only towards not tripping.
     */
    long p95Nanos(int path, long now) {
        long second = secondOf(now);
        long[] earlier = sealedBefore(second).latencies[path];
        Bucket bucket = ring.get(indexOf(second));
        LatencyHistogram current = (bucket.second == second ? bucket : NONE).latencies[path];
        long total = 0;
        for (int slot = 0; slot < LatencyHistogram.SLOTS; slot++) {
            total += earlier[slot] + current.count(slot);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (total * 19 + 19) / 20; // ceil(0.95 * total)
        // the slot where the latencies up to it reach the rank is the one where those from it down
        // reach the rest plus one
        boolean upward = path == MODERN;
        long wanted = upward ? rank : total - rank + 1;
        long seen = 0;
        for (int i = 0; i < LatencyHistogram.SLOTS; i++) {
            int slot = upward ? i : LatencyHistogram.SLOTS - 1 - i;
            seen += earlier[slot] + current.count(slot);
            if (seen >= wanted) {
                return LatencyHistogram.midpoint(slot);
            }
        }
        throw new AssertionError("latency counts shrank while read");
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
        latest = NONE;
        sealed.set(new Sealed(Long.MIN_VALUE, new long[MISMATCHES + 1], new long[2][LatencyHistogram.SLOTS]));
    }

    private Bucket bucketAt(long now) {
        long second = secondOf(now);
        int index = indexOf(second);
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
                if (second > latest.second) {
                    latest = fresh;
                }
                return fresh;
            }
        }
    }

    private int indexOf(long second) {
        return (int) Math.floorMod(second, (long) seconds);
    }

    private static long secondOf(long nanos) {
        return Math.floorDiv(nanos, NANOS_PER_SECOND);
    }

    /** {@code part / whole}, 0 for an empty whole. */
    static double share(long part, long whole) {
        return whole == 0 ? 0.0 : (double) part / whole;
    }

    /** Totals and latency counts over the window's seconds before {@code second}: a new one each second, never changed. */
    private static final class Sealed {
        final long second;
        final long calls;
        final long failures;
        final long slow;
        final long comparisons;
        final long mismatches;
        /** Latency counts per slot, indexed by path ({@link #MODERN}, {@link #LEGACY}) then slot. */
        final long[][] latencies;

        Sealed(long second, long[] totals, long[][] latencies) {
            this.second = second;
            this.calls = totals[CALLS];
            this.failures = totals[FAILURES];
            this.slow = totals[SLOW];
            this.comparisons = totals[COMPARISONS];
            this.mismatches = totals[MISMATCHES];
            this.latencies = latencies;
        }
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
