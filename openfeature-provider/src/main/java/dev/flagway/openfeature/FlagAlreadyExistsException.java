package dev.flagway.openfeature;

import dev.flagway.FlagwayException;

/** A create call named a flag that already exists. */
public class FlagAlreadyExistsException extends FlagwayException {
    private final String flagKey;

    /**
     * @param flagKey the flag
     * @param table the flags table
     */
    public FlagAlreadyExistsException(String flagKey, String table) {
        super("flag '" + flagKey + "' already exists in table " + table);
        this.flagKey = flagKey;
    }

    /** The flag key. */
    public String flagKey() {
        return flagKey;
    }
}
