package dev.flagway.examples;

/** Running totals of how reads were routed, read by the {@link RunRecorder} at every tick and phase change. */
interface RoutingCounters {
    /** Reads answered from the new column. */
    long modernReads();

    /** Reads answered from the legacy column. */
    long legacyReads();

    /** Calls on the new column's path that failed (whether or not the caller saw it). */
    long modernFailures();

    /** Failed new-column reads answered from the legacy column instead. */
    long fallbacks();

    /** Shadow comparisons whose two columns disagreed. */
    long shadowMismatches();
}
