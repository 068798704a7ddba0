package dev.flagway.openfeature;

/** The flag named in an admin call does not exist in the flags table. */
public class UnknownFlagException extends RuntimeException {
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
