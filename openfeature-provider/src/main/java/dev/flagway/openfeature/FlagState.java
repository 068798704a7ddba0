package dev.flagway.openfeature;

import java.time.Instant;

/**
 * A flag as stored: its key, definition, version and last change.
 *
 * @param key the flag key
 * @param definition what the flag serves
 * @param version the optimistic-lock version, starting at 1 and increased by every change; pass it
 *     to {@link FlagAdmin}'s versioned methods
 * @param updatedBy who made the last change
 * @param updatedAt when the last change was made (millisecond precision)
 */
public record FlagState(String key, FlagDefinition definition, long version, String updatedBy, Instant updatedAt) {

    /** Checks that no component is missing. */
    public FlagState {
        if (key == null || definition == null || updatedBy == null || updatedAt == null) {
            throw new IllegalArgumentException("flag state needs a key, definition, updatedBy and updatedAt");
        }
    }

    /** Shorthand for {@code definition().enabled()}. */
    public boolean enabled() {
        return definition.enabled();
    }
}
