package dev.flagway.bench.db;

import java.util.Arrays;

/** Per-call latencies of one variant, in nanoseconds, and their summary. */
public final class Latencies {
    private long[] samples;
    private int count;

    /** Room for {@code expected} samples (it grows). */
    public Latencies(int expected) {
        samples = new long[Math.max(16, expected)];
    }

    /** Adds one sample. */
    public void add(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    /** The summary of what was added. */
    public Summary summary() {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        double sum = 0;
        for (long s : sorted) {
            sum += s;
        }
        return new Summary(count, count == 0 ? 0 : sum / count, percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length); // nearest rank
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Summary of a variant's latencies.
     *
     * @param count samples
     * @param meanNanos mean
     * @param p50Nanos median (nearest rank)
     * @param p99Nanos 99th percentile (nearest rank)
     */
    public record Summary(int count, double meanNanos, long p50Nanos, long p99Nanos) implements java.io.Serializable {
        /** Mean in microseconds. */
        public double meanMicros() {
            return meanNanos / 1e3;
        }

        /** Median in microseconds. */
        public double p50Micros() {
            return p50Nanos / 1e3;
        }

        /** p99 in microseconds. */
        public double p99Micros() {
            return p99Nanos / 1e3;
        }
    }
}
