package dev.flagway;

/**
 * The root of every exception Flagway throws for its own reasons (a refused DDL, a stopped backfill,
 * a refused contract, a flag-store conflict...), so that an application can catch them in one place.
 * Programming errors in arguments stay {@link IllegalArgumentException} and {@link NullPointerException},
 * and a checked exception of the application's own code passes through unchanged.
 */
public class FlagwayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message. */
    public FlagwayException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public FlagwayException(String message, Throwable cause) {
        super(message, cause);
    }
}
