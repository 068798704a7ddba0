package dev.flagway.examples;

/**
 * One slice of a run's timeline.
 *
 * @param second when the slice ended, in seconds from the start of the run
 * @param failureRate share of the requests finished in the slice that failed, 0 to 1
 * @param modernShare share of answered reads that came from the new column, 0 to 1 (NaN: no read was answered)
 * @param modernErrorRate share of new-column calls that failed, 0 to 1 (a fallback hides them from the caller)
 * @param p95 95th percentile latency in milliseconds
 */
record Tick(double second, double failureRate, double modernShare, double modernErrorRate, double p95) {
}
