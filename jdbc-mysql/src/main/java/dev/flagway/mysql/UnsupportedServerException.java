package dev.flagway.mysql;

import dev.flagway.FlagwayException;

/** The server is not a MySQL 8.0+ or MariaDB 10.6+ server; the message says what was found. */
public final class UnsupportedServerException extends FlagwayException {
    private static final long serialVersionUID = 1L;

    /** An exception with the reason. */
    public UnsupportedServerException(String message) {
        super(message);
    }
}
