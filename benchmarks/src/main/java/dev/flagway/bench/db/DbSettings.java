package dev.flagway.bench.db;

/**
 * How much work the database benchmarks do.
 *
 * @param rows rows in the users table
 * @param warmupCalls calls per variant before measuring
 * @param rounds measured rounds; the variants take turns within each round, in a rotating order
 * @param readsPerRound reads per variant per round (item 4)
 * @param writesPerRound writes per variant per round (item 5)
 * @param tripWarmMillis healthy traffic before the modern path starts failing (item 7)
 * @param tripTimeoutMillis how long to wait for the trip
 * @param tripErrorRate share of modern reads that fail after the onset (item 7)
 */
public record DbSettings(int rows, int warmupCalls, int rounds, int readsPerRound, int writesPerRound,
                         long tripWarmMillis, long tripTimeoutMillis, double tripErrorRate) {

    /** The quick run: about a minute per database on a quiet machine. */
    public static DbSettings quick() {
        return new DbSettings(20_000, 2_000, 10, 1_000, 200, 3_000, 20_000, 0.05);
    }

    /** A longer run with more samples. */
    public static DbSettings full() {
        return new DbSettings(100_000, 5_000, 20, 2_500, 500, 5_000, 30_000, 0.05);
    }

    /** A few calls of everything, for the smoke test. */
    public static DbSettings smoke() {
        return new DbSettings(500, 20, 2, 50, 20, 300, 10_000, 0.05);
    }
}
