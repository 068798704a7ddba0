package dev.flagway.examples;

import java.util.Map;
import java.util.Optional;

/**
 * What each phase of a run does, in words, for the HTML report: what changes, what the users see,
 * what could go wrong and how Flagway prevents it (or, in the naive run, how it goes wrong).
 */
final class PhaseGuide {
    private static final String LIVE = "LIVE ";

    private static final Map<String, String> FLAGWAY = Map.ofEntries(
            Map.entry("OFF", "The application reads and writes the legacy column email only. Nothing has changed "
                    + "yet: this is the users' baseline latency."),
            Map.entry("EXPAND", "lifecycle.expand adds the empty column email_normalized and creates the flag at off; "
                    + "users see nothing. A long back-office transaction holds a lock on the table meanwhile: a plain "
                    + "ALTER would wait behind it and every request would queue behind the ALTER, so Flagway waits for "
                    + "the lock only briefly per attempt and retries with backoff."),
            Map.entry("DUAL_WRITE + BACKFILL", "From now on every write goes to both columns in one transaction, and "
                    + "the backfill fills the rows written before in small, checkpointed, rate-capped batches. Users "
                    + "still read the legacy column; a failed new-column write is recorded for repair instead of "
                    + "failing the request."),
            Map.entry("VERIFY", "Every row's new value is compared with what the transform makes of its legacy value, "
                    + "and the report is kept. Users see nothing; the lifecycle lets no user read the new column until "
                    + "a verification has passed."),
            Map.entry("SHADOW", "Users are still answered from the legacy column, while reads also read the new one "
                    + "off the request thread and compare. A difference is counted (and would trip the breaker) "
                    + "instead of reaching a user."),
            Map.entry(LIVE, "This share of users, chosen by a stable hash of their id, now reads the new column; the "
                    + "others stay in shadow. Should a new-column read fail, that user gets the legacy answer (a "
                    + "fallback), and the circuit breaker watches the error rate and latency of every call."),
            Map.entry("FAULT", "A bad deploy makes every new-column call fail. Callers get the legacy answer through "
                    + "the fallback while the breaker trips within milliseconds, disables the flag in the database and "
                    + "sends every instance back to dual_write: no request fails."),
            Map.entry("FIXED", "With the fault fixed, the lifecycle rolls back to dual_write (which enables the flag "
                    + "again), the backfill repairs the rows whose new-column write failed, the breakers are reset and "
                    + "the flag goes to shadow and live again. The lifecycle refuses any further move while the flag "
                    + "is still disabled."),
            Map.entry("RAMP_DOWN", "Every user reads the new column, the rollout cleared; legacy is still written and "
                    + "still the fallback, so the migration can still go back. A last verification is taken while "
                    + "legacy is written."),
            Map.entry("COMPLETE", "The legacy column is no longer written or read. This is one-way, so the lifecycle "
                    + "allows it only after a completed backfill, a passing verification and no write left to repair; "
                    + "the contract gate then refuses to drop the legacy column until the flag has served the new "
                    + "column to everyone for a whole business cycle without a fallback."),
            Map.entry("CONTRACTED", "The gate has opened and the legacy column is dropped, with the same short lock "
                    + "wait as the expand. Users go on reading and writing the new column, unaffected."));

    private static final Map<String, String> NAIVE = Map.of(
            "OFF", "Version 1 of the application reads and writes the legacy column only: the baseline.",
            "ALTER", "A plain ALTER TABLE, with no lock timeout, waits behind the back-office transaction. Requests "
                    + "queue behind the waiting ALTER (or, on H2, run into a table being rebuilt) and time out or fail.",
            "BACKFILL", "One UPDATE copies the whole table in one transaction, locking every row until it commits; "
                    + "rows written meanwhile by version 1 miss the new column.",
            "BIG-BANG SWITCH", "Version 2 is deployed everywhere at once: every read comes from the new column, and "
                    + "writes go to both columns without a transaction, so some users read something else than what "
                    + "they last wrote.",
            "FAULT", "The same bad deploy as in the Flagway run; with no fallback and no breaker, every request on the "
                    + "new path fails until someone redeploys.",
            "FIXED", "The fault is fixed, but the rows written while it lasted keep a stale new column: those writes "
                    + "are lost.");

    private PhaseGuide() {
    }

    /** What phase {@code phase} of the run titled {@code run} does, if the guide knows it. */
    static Optional<String> describe(String run, String phase) {
        Map<String, String> guide = run.equals("naive") ? NAIVE : FLAGWAY;
        return Optional.ofNullable(guide.get(phase.startsWith(LIVE) ? LIVE : phase));
    }
}
