package dev.flagway.backfill;

/** Where a backfill stands. */
public enum BackfillState {
    /** Walking the key space. */
    RUNNING,
    /** Paused by an operator or by a critical health signal; resumes without losing its place. */
    PAUSED,
    /** Stopped by an operator; a later run continues from the checkpoint. */
    CANCELLED,
    /** Every key was walked and the repair log drained. */
    COMPLETED,
    /** Stopped by an error; a later run continues from the checkpoint. */
    FAILED,
    /** This run did no work because another runner held the migration's lock. */
    SKIPPED
}
