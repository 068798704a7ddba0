package dev.flagway.backfill;

import dev.flagway.FlagwayException;

/** A migration's transform threw on a row's legacy value; the cause is what it threw. */
public final class TransformException extends FlagwayException {
    private static final long serialVersionUID = 1L;

    /** An exception naming the row's key. */
    public TransformException(Object key, Throwable cause) {
        super("the transform failed for key " + key + ": " + cause, cause);
    }
}
