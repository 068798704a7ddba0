package dev.flagway.examples;

/**
 * The traffic of one phase of a run.
 *
 * @param name the phase, e.g. {@code LIVE 10%}
 * @param startSecond when it began, in seconds from the start of the run
 * @param endSecond when it ended
 * @param requests requests made
 * @param failed requests that failed
 * @param wrong requests answered with a value other than the user's last write
 * @param fallbacks new-column reads that failed and were answered from the legacy column
 * @param shadowMismatches shadow comparisons that disagreed
 * @param modernShare share of answered reads that came from the new column, 0 to 1 (NaN: no read was answered)
 * @param p50 median latency in milliseconds
 * @param p95 95th percentile latency in milliseconds
 * @param p99 99th percentile latency in milliseconds
 */
record PhaseResult(String name, double startSecond, double endSecond, long requests, long failed, long wrong,
                   long fallbacks, long shadowMismatches, double modernShare, double p50, double p95, double p99) {
}
