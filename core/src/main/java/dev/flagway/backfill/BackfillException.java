package dev.flagway.backfill;

import dev.flagway.FlagwayException;

/** A backfill stopped on an error it cannot retry; its checkpoint keeps the last committed batch. */
public final class BackfillException extends FlagwayException {
    private static final long serialVersionUID = 1L;

    /** An exception with a cause. */
    public BackfillException(String message, Throwable cause) {
        super(cause == null ? message : message + ": " + cause.getMessage(), cause);
    }
}
