package dev.flagway.openfeature;

import java.util.Locale;
import java.util.Optional;

/** The kind of change an audit entry records; stored lower-case in the audit table's {@code action} column. */
public enum FlagAction {
    /** The flag was created. */
    CREATE,
    /** The base variant (for migration flags: the base stage) was changed. */
    SET_VARIANT,
    /** The rollout variant and/or its percentage were set. */
    SET_ROLLOUT,
    /** The rollout was removed. */
    CLEAR_ROLLOUT,
    /** The flag was disabled (or its disabled reason replaced). */
    DISABLE,
    /** The flag was enabled again. */
    ENABLE,
    /** The flag was deleted. */
    DELETE;

    /** The lower-case name stored in the audit table. */
    public String columnValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action named by a column value, or empty when unknown. */
    public static Optional<FlagAction> fromColumnValue(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String normalized = value.trim().toUpperCase(Locale.ROOT);
        for (FlagAction action : values()) {
            if (action.name().equals(normalized)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
