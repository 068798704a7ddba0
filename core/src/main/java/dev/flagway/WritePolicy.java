package dev.flagway;

/** What a dual write does when its modern part fails. */
public enum WritePolicy {
    /**
     * The default. The modern part is rolled back to its savepoint and the new column is re-derived
     * from the legacy value in the same transaction, so the caller sees success and both columns
     * agree. When that repair fails too, the whole write fails in a stage that reads the new column
     * (LIVE, RAMP_DOWN); in DUAL_WRITE and SHADOW the legacy write commits, the key is recorded for
     * repair in the same transaction and every instance reads it from the legacy column until it is
     * repaired. Needs a {@code TransactionRunner} for all of this; without one a failed modern write
     * is only counted and logged.
     */
    REPAIR,
    /** The modern failure fails the whole write: nothing commits and the caller gets the exception. */
    STRICT
}
