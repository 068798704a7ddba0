package dev.flagway.backfill;

import java.time.Duration;

/**
 * A snapshot of a running backfill, handed to {@link BackfillListener}s after every batch and state change.
 *
 * @param migrationId the migration
 * @param state the state
 * @param rowsDone keys walked so far (across runs)
 * @param rowsUpdated rows written so far (across runs)
 * @param estimatedTotal the estimated number of rows in the table
 * @param rowsPerSecond keys walked per second in this run
 * @param eta the estimated time left, or null when unknown
 * @param batchSize the current batch size
 * @param throttleReason why the backfill is slowed or paused, or null when it is not
 */
public record BackfillProgress(String migrationId, BackfillState state, long rowsDone, long rowsUpdated,
        long estimatedTotal, double rowsPerSecond, Duration eta, int batchSize, String throttleReason) {
}
