package dev.flagway.breaker;

import java.time.Duration;

/**
 * Figures over a {@link CircuitBreaker}'s sliding window at one moment. Latency percentiles are
 * estimated from log-linear histograms and are within about 12.5% of the exact value.
 *
 * @param calls modern calls recorded (successes and failures)
 * @param failures failed modern calls
 * @param errorRate {@code failures / calls}, 0 when there were no calls
 * @param modernP95 estimated p95 latency of the modern calls, {@link Duration#ZERO} when there were none
 * @param legacyP95 estimated p95 latency of the legacy calls, {@link Duration#ZERO} when there were none
 * @param comparisons shadow comparisons recorded
 * @param mismatches comparisons whose results differed
 * @param mismatchRate {@code mismatches / comparisons}, 0 when there were no comparisons
 */
public record WindowSnapshot(
        long calls,
        long failures,
        double errorRate,
        Duration modernP95,
        Duration legacyP95,
        long comparisons,
        long mismatches,
        double mismatchRate) {
}
