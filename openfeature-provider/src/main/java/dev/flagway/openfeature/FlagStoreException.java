package dev.flagway.openfeature;

import dev.flagway.FlagwayException;

/** The flag tables could not be read or written (database unreachable, missing table, timeout...). */
public class FlagStoreException extends FlagwayException {
    /**
     * @param message what failed, naming the table
     * @param cause the underlying database error
     */
    public FlagStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
