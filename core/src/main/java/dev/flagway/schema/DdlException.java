package dev.flagway.schema;

import dev.flagway.FlagwayException;
import java.sql.SQLException;

/** A DDL statement failed for a reason other than waiting for a lock; nothing was retried. */
public class DdlException extends FlagwayException {
    private static final long serialVersionUID = 1L;

    /** An exception naming the statement and carrying the driver's error. */
    public DdlException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage() + " (SQLSTATE " + cause.getSQLState() + ")", cause);
    }

    /** An exception without a driver error. */
    public DdlException(String message) {
        super(message);
    }
}
