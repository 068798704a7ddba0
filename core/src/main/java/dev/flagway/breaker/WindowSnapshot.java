package dev.flagway.breaker;
/** PLACEHOLDER. */
public record WindowSnapshot(long calls, long failures, double errorRate, java.time.Duration modernP95, java.time.Duration legacyP95, long comparisons, long mismatches, double mismatchRate) {}
