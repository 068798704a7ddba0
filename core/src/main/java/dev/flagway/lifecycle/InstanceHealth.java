package dev.flagway.lifecycle;

import java.time.Instant;

/**
 * One instance's health of one migration over some minutes, as published to the fleet health table:
 * the counts summed, the latencies and breaker state of its latest row.
 *
 * @param instanceId the publishing instance
 * @param calls modern calls
 * @param errors failed modern calls
 * @param fallbacks modern reads answered from legacy
 * @param comparisons shadow comparisons
 * @param mismatches shadow comparisons that differed
 * @param modernP95Millis the highest modern p95 published (over the breaker's window, when it held at
 *     least the breaker's minimum calls), or null
 * @param legacyP95Millis the legacy p95 published with it, or null
 * @param breakerState the breaker's state at the latest publish ({@code closed}, {@code open}, {@code half_open})
 * @param updatedAt when the instance last published
 */
public record InstanceHealth(String instanceId, long calls, long errors, long fallbacks, long comparisons,
                             long mismatches, Double modernP95Millis, Double legacyP95Millis, String breakerState,
                             Instant updatedAt) {
    /** The share of failed modern calls, 0 without calls. */
    public double errorRate() {
        return calls == 0 ? 0.0 : (double) errors / calls;
    }
}
