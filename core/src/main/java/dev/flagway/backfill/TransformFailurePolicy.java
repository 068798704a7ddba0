package dev.flagway.backfill;

/**
 * What a backfill does with a row it cannot migrate: the transform throws on its legacy value, or the
 * new column refuses the derived value (a constraint, a value too long).
 */
public enum TransformFailurePolicy {
    /** The default: the run stops with a {@link BackfillException} naming the key; its checkpoint keeps its place. */
    FAIL,
    /**
     * The row is left as it is and recorded in the {@link dev.flagway.jdbc.BadRowLog} with its key,
     * legacy value and error, and the run goes on. Reads of the row's key stay on the legacy column,
     * verification counts the row, and the contract gate refuses until the row is resolved
     * ({@link Backfill#resolveBadRow}).
     */
    SKIP_AND_RECORD
}
