package dev.flagway.bench.db;

/**
 * How much work the database benchmarks do.
 *
 * @param rows rows in the users table
 * @param warmupMillis how long each comparison warms up (all its variants in turn) before measuring:
 *     long enough for the JIT to compile the routed path on a busy machine
 * @param reads measured reads per variant (item 4); the variants alternate call by call
 * @param writes measured writes per variant (item 5); the variants take turns call by call
 * @param repetitions the measured calls are split into this many repetitions, each giving its own
 *     ratios, so that the report can show how much the ratio moves from one to the next
 * @param tripWarmMillis healthy traffic before the modern path starts failing (item 7)
 * @param tripTimeoutMillis how long to wait for the trip
 * @param tripErrorRate share of modern reads that fail after the onset (item 7), and of the failing
 *     path's operations in item 9
 * @param peerWarmOps item 9: healthy operations per library before the failures
 * @param peerOps item 9: operations per library while the new path fails (half as many writes while
 *     the legacy writes fail)
 */
public record DbSettings(int rows, long warmupMillis, int reads, int writes, int repetitions, long tripWarmMillis,
                         long tripTimeoutMillis, double tripErrorRate, int peerWarmOps, int peerOps) {

    /** The quick run: about a minute per database on a quiet machine. */
    public static DbSettings quick() {
        return new DbSettings(20_000, 4_000, 10_000, 1_500, 5, 3_000, 20_000, 0.05, 400, 4_000);
    }

    /** A longer run with more samples. */
    public static DbSettings full() {
        return new DbSettings(100_000, 10_000, 50_000, 5_000, 10, 5_000, 30_000, 0.05, 1_000, 10_000);
    }

    /** A few calls of everything, for the smoke test (with a failure rate high enough to fail some of them). */
    public static DbSettings smoke() {
        return new DbSettings(500, 50, 100, 40, 2, 300, 10_000, 0.25, 200, 200);
    }
}
