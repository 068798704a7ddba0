package dev.flagway;

/** What a dual write does when its modern part fails. */
public enum WritePolicy {
    /**
     * The default. The legacy write commits, the modern part is rolled back to its savepoint, and the
     * row key is recorded for repair in the same transaction; the caller sees success.
     */
    REPAIR,
    /** The modern failure fails the whole write: nothing commits and the caller gets the exception. */
    STRICT
}
