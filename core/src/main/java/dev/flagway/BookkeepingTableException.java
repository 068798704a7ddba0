package dev.flagway;

/**
 * One of Flagway's own tables is missing and Flagway may not create it ({@code flagway.tables.create=false}),
 * or it could not be created.
 */
public final class BookkeepingTableException extends FlagwayException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and, when there is one, the database's error. */
    public BookkeepingTableException(String message, Throwable cause) {
        super(message, cause);
    }
}
