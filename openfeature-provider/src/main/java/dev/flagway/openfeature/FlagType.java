package dev.flagway.openfeature;

import java.util.Locale;
import java.util.Optional;

/**
 * What a flag's variants hold and which OpenFeature evaluation reads it. The lower-case
 * {@linkplain #columnValue() column value} is stored in the flags table.
 */
public enum FlagType {
    /** A migration flag: variants are {@link dev.flagway.Stage} flag values, read as strings. */
    STAGE,
    /** {@code true} or {@code false}, read by boolean evaluation. */
    BOOLEAN,
    /** Any text, read by string evaluation. */
    STRING,
    /** A 64-bit integer, read by integer evaluation (when it fits in an int) and long evaluation. */
    INTEGER,
    /** A finite double, read by double evaluation. */
    DOUBLE,
    /** A JSON object or array, read by object evaluation. */
    OBJECT;

    /** The lower-case name stored in the {@code value_type} column, e.g. {@code stage}. */
    public String columnValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type named by a column value, ignoring case and surrounding blanks.
     *
     * @return the type, or empty for null or an unknown name
     */
    public static Optional<FlagType> fromColumnValue(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String normalized = value.trim().toUpperCase(Locale.ROOT);
        for (FlagType type : values()) {
            if (type.name().equals(normalized)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
