package dev.flagway.backfill;

import java.time.Duration;

/**
 * How one run of a backfill ended.
 *
 * @param state {@link BackfillState#COMPLETED}, {@link BackfillState#CANCELLED} or {@link BackfillState#SKIPPED}
 * @param rowsDone keys walked in total (across runs)
 * @param rowsUpdated rows written in total (across runs)
 * @param rowsUpdatedThisRun rows written by this run
 * @param repairsDrained repair-log entries applied by this run
 * @param batches batches committed by this run
 * @param reconnects lost connections this run recovered from
 * @param waitedForRunner how long this run waited for another runner's lock
 * @param elapsed the run's wall time
 */
public record BackfillResult(BackfillState state, long rowsDone, long rowsUpdated, long rowsUpdatedThisRun,
        long repairsDrained, long batches, int reconnects, Duration waitedForRunner, Duration elapsed) {
}
