package dev.flagway.jdbc;

import dev.flagway.FlagwayException;
import java.sql.SQLException;

/** A transaction could not be opened, committed or given a savepoint; the cause is the driver's error. */
public final class TransactionException extends FlagwayException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and the driver's error. */
    public TransactionException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
