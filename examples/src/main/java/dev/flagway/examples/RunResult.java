package dev.flagway.examples;

import java.util.List;

/**
 * What one run (Flagway's, or the naive one) showed: its phases, its timeline, the figures worth
 * stating and, for Flagway's run, the promises it had to keep.
 *
 * @param title what ran, e.g. {@code Flagway}
 * @param phases the phases in order
 * @param ticks the timeline
 * @param lostWrites rows whose new column does not hold the last acknowledged write at the end
 * @param facts labelled figures, in the order to show them
 * @param promises the promises checked (empty for a run that makes none)
 */
record RunResult(String title, List<PhaseResult> phases, List<Tick> ticks, long lostWrites, List<Fact> facts,
                 List<Promise> promises) {

    /** A labelled figure. */
    record Fact(String label, String value) {
    }

    /** A promise and whether it was kept, with the evidence. */
    record Promise(String description, boolean kept, String evidence) {
    }

    /** Whether every promise was kept. */
    boolean promisesKept() {
        return promises.stream().allMatch(Promise::kept);
    }

    /** Requests over all phases. */
    long requests() {
        return phases.stream().mapToLong(PhaseResult::requests).sum();
    }

    /** Failed requests over all phases. */
    long failed() {
        return phases.stream().mapToLong(PhaseResult::failed).sum();
    }

    /** Wrong answers over all phases. */
    long wrong() {
        return phases.stream().mapToLong(PhaseResult::wrong).sum();
    }

    /** The worst p99 latency of any phase, in milliseconds. */
    double worstP99() {
        return phases.stream().mapToDouble(PhaseResult::p99).max().orElse(0);
    }
}
