package dev.flagway.openfeature;

import dev.flagway.FlagwayException;

/**
 * A versioned change found the flag at another version than expected: someone else changed it since
 * it was read. Nothing was written; read the flag again and decide whether the change still applies.
 */
public class ConcurrentFlagUpdateException extends FlagwayException {
    private final String flagKey;
    private final long expectedVersion;
    private final long actualVersion;

    /**
     * @param flagKey the flag
     * @param expectedVersion the version the caller based its change on
     * @param actualVersion the version found in the table
     */
    public ConcurrentFlagUpdateException(String flagKey, long expectedVersion, long actualVersion) {
        super("flag '" + flagKey + "' was changed concurrently: expected version " + expectedVersion
                + " but it is at version " + actualVersion + "; read it again and retry if the change still applies");
        this.flagKey = flagKey;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    /** The flag key. */
    public String flagKey() {
        return flagKey;
    }

    /** The version the change expected. */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** The version found. */
    public long actualVersion() {
        return actualVersion;
    }
}
