package dev.flagway.examples;

import java.util.Arrays;

/** Request latencies, kept whole so that percentiles are exact (nearest rank), not estimated. */
final class LatencySamples {
    private long[] nanos = new long[1024];
    private int size;

    synchronized void add(long latencyNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = latencyNanos;
    }

    /** The samples so far, sorted. */
    synchronized long[] sorted() {
        long[] copy = Arrays.copyOf(nanos, size);
        Arrays.sort(copy);
        return copy;
    }

    /** The nearest-rank percentile {@code q} (0 to 1) of sorted samples in milliseconds; 0 without samples. */
    static double percentileMillis(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e6;
    }
}
