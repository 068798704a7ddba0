package dev.flagway.examples;

/**
 * One slice of a run's timeline.
 *
 * @param second when the slice ended, in seconds from the start of the run
 * @param requests requests finished in the slice
 * @param failureRate share of those requests that failed, 0 to 1
 * @param modernShare share of answered reads that came from the new column, 0 to 1 (NaN: no read was answered)
 * @param modernErrorRate share of new-column calls that failed, 0 to 1 (hidden from callers by fallbacks)
 * @param p95 95th percentile latency in milliseconds
 */
record Tick(double second, long requests, double failureRate, double modernShare, double modernErrorRate, double p95) {
}
