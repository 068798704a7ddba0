package dev.flagway.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One property Flagway binds, described for tools and documentation: the Spring Boot starter
 * generates its IDE metadata and its settings tables from {@link FlagwayProperties#catalogue()}.
 *
 * @param name the kebab-case name relative to where the property lives, e.g. {@code breaker.window}
 * @param perMigration whether it lives under {@code flagway.migrations.<id>.}, else directly under {@code flagway.}
 * @param required whether binding fails when it is absent
 * @param type what tools should check a written value against: {@link String}, {@link Integer},
 *     {@link Boolean}, {@link Double}, {@link java.time.Duration} or an enum; {@link String} where
 *     Flagway accepts more than the value's Java type would (ratios and shares take percentages)
 * @param values the accepted values of a closed set in the order to offer them (stages, policies,
 *     comparators, booleans); empty for open ones
 * @param defaultValue the value used when the property is absent, as it would be written, e.g. {@code 250ms}
 * @param whenAbsent what absence means when there is no such value, e.g. {@code the id}
 * @param description what the property does and which values are accepted, in sentences
 */
public record PropertyDescription(String name, boolean perMigration, boolean required, Class<?> type,
                                  List<String> values, Optional<String> defaultValue, Optional<String> whenAbsent,
                                  String description) {
    /** Checks that every component is present and copies {@code values}. */
    public PropertyDescription {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        values = List.copyOf(values);
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(whenAbsent, "whenAbsent");
        Objects.requireNonNull(description, "description");
    }

    /** The full key, with {@code <id>} standing for the migration id: {@code flagway.migrations.<id>.table}. */
    public String key() {
        return key("<id>");
    }

    /** The full key for migration {@code id}; {@code id} is ignored for a property that is not per migration. */
    public String key(String id) {
        return perMigration ? PropertyCatalogue.MIGRATIONS + id + '.' + name : PropertyCatalogue.PREFIX + name;
    }
}
