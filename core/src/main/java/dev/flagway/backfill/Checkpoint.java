package dev.flagway.backfill;

import java.time.Instant;

/**
 * A backfill's persisted progress, written in the same transaction as each batch.
 *
 * @param migrationId the migration
 * @param lastKey the last key walked, as text, or null before the first batch
 * @param rowsDone keys walked so far
 * @param rowsUpdated rows whose new column was written so far
 * @param state the state
 * @param updatedAt when it was last written
 * @param finishedAt when the backfill completed, or null
 */
public record Checkpoint(String migrationId, String lastKey, long rowsDone, long rowsUpdated, BackfillState state,
        Instant updatedAt, Instant finishedAt) {

    /** A fresh checkpoint before the first batch. */
    static Checkpoint start(String migrationId, Instant now) {
        return new Checkpoint(migrationId, null, 0, 0, BackfillState.RUNNING, now, null);
    }

    /** This checkpoint advanced by one batch. */
    Checkpoint advance(String newLastKey, long walked, long updated, Instant now) {
        return new Checkpoint(migrationId, newLastKey, rowsDone + walked, rowsUpdated + updated, BackfillState.RUNNING,
                now, null);
    }

    /** This checkpoint in another state. */
    Checkpoint withState(BackfillState newState, Instant now) {
        return new Checkpoint(migrationId, lastKey, rowsDone, rowsUpdated, newState, now,
                newState == BackfillState.COMPLETED ? now : finishedAt);
    }
}
