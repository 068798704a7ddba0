package dev.flagway.config;

import dev.flagway.internal.Identifiers;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One property of the catalogue: its name relative to where it lives ({@code flagway.} or
 * {@code flagway.migrations.<id>.}), the syntax of its value, the builder setter it feeds, and its
 * documentation (what tools and the settings tables show).
 *
 * @param name the kebab-case name, e.g. {@code breaker.window}
 * @param required whether binding fails when the property is absent
 * @param type the syntax of the value
 * @param setter applies the typed value to the target; may reject it with an {@link IllegalArgumentException}
 * @param defaultValue the value the builder uses when the property is absent, as it would be written; null when there is none
 * @param whenAbsent what absence means when there is no such value, e.g. {@code the id}; null otherwise
 * @param description what the property does, and the range the builder accepts
 * @param <B> what the value is applied to
 * @param <T> the value's type
 */
record PropertyKey<B, T>(String name, boolean required, ValueType<T> type, BiConsumer<B, T> setter,
                         String defaultValue, String whenAbsent, String description) {

    /** An optional property whose absence means the builder's default, {@code defaultValue}. */
    static <B, T> PropertyKey<B, T> withDefault(String name, ValueType<T> type, String defaultValue, String description,
                                               BiConsumer<B, T> setter) {
        return new PropertyKey<>(name, false, type, setter, defaultValue, null, description);
    }

    /** An optional property without a plain default; {@code whenAbsent} says what its absence means. */
    static <B, T> PropertyKey<B, T> withoutDefault(String name, ValueType<T> type, String whenAbsent,
                                                  String description, BiConsumer<B, T> setter) {
        return new PropertyKey<>(name, false, type, setter, null, whenAbsent, description);
    }

    /** A property that must be present. */
    static <B, T> PropertyKey<B, T> required(String name, ValueType<T> type, String description,
                                            BiConsumer<B, T> setter) {
        return new PropertyKey<>(name, true, type, setter, null, null, description);
    }

    /** This property described for tools; {@code perMigration} tells where it lives. */
    PropertyDescription describe(boolean perMigration) {
        return new PropertyDescription(name, perMigration, required, type.documentedType(), type.values(),
                Optional.ofNullable(defaultValue), Optional.ofNullable(whenAbsent), description);
    }

    /**
     * Parses {@code value} and applies it to {@code target}.
     *
     * @param key the full property key, for the problem
     * @return the problem, naming the key, the value and what was expected; empty when applied
     */
    Optional<String> apply(B target, String key, String value) {
        String trimmed = value == null ? "" : value.trim();
        Optional<T> parsed = trimmed.isEmpty() ? Optional.empty() : type.parser().apply(trimmed);
        if (parsed.isEmpty()) {
            return Optional.of(prefix(key, trimmed) + "expected " + type.expected());
        }
        try {
            setter.accept(target, parsed.get());
            return Optional.empty();
        } catch (IllegalArgumentException rejected) {
            return Optional.of(prefix(key, trimmed) + rejected.getMessage());
        }
    }

    private static String prefix(String key, String value) {
        return key + " = '" + Identifiers.abbreviate(value) + "': ";
    }
}
