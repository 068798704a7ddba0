package dev.flagway.breaker;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lock-free counts of latencies in log-linear slots: one slot per nanosecond below 8 ns, then four
 * slots per power of two. A slot is at most a quarter of its lower bound wide, so its midpoint is
 * within 12.5% of every latency counted in it. Latencies are clamped to [0, 2^40 ns], about 18 minutes.
 */
final class LatencyHistogram {
    private static final long MAX_NANOS = 1L << 40;
    /** Number of slots. */
    static final int SLOTS = slot(MAX_NANOS) + 1;

    private final AtomicLongArray counts = new AtomicLongArray(SLOTS);

    /** Counts a latency {@code weight} times. */
    void record(long nanos, int weight) {
        counts.addAndGet(slot(nanos), weight);
    }

    /** Latencies counted in {@code slot}. */
    long count(int slot) {
        return counts.get(slot);
    }

    /** The slot counting {@code nanos}. */
    static int slot(long nanos) {
        long v = Math.min(Math.max(nanos, 0), MAX_NANOS);
        if (v < 4) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        // the two bits after the leading one pick the quarter of [2^exponent, 2^(exponent+1))
        return (exponent - 1) * 4 + (int) ((v >>> (exponent - 2)) & 3);
    }

    /** The midpoint of {@code slot}'s range: the estimate for every latency counted in it. */
    static long midpoint(int slot) {
        if (slot < 4) {
            return slot;
        }
        int exponent = slot / 4 + 1;
        long width = 1L << (exponent - 2);
        return (1L << exponent) + (slot & 3) * width + width / 2;
    }
}
