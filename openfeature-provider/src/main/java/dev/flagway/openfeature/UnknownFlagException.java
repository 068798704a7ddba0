package dev.flagway.openfeature;

import dev.flagway.FlagwayException;

/** The flag named in an admin call does not exist in the flags table. */
public class UnknownFlagException extends FlagwayException {
    private final String flagKey;

    /**
     * @param flagKey the flag
     * @param table the flags table that was searched
     */
    public UnknownFlagException(String flagKey, String table) {
        super("flag '" + flagKey + "' does not exist in table " + table);
        this.flagKey = flagKey;
    }

    /** The flag key. */
    public String flagKey() {
        return flagKey;
    }
}
