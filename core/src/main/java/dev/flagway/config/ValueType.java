package dev.flagway.config;

import dev.flagway.ShadowComparator;
import dev.flagway.Stage;
import dev.flagway.WritePolicy;
import dev.flagway.internal.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The syntax of a property value: how trimmed, non-empty text becomes a typed value, and what to
 * tell the user when it does not. Ranges are not checked here; the builder the value goes to checks
 * them and its message is reported.
 *
 * @param expected what a valid value looks like, completing "expected ...", e.g. {@code a duration such as 250ms}
 * @param documentedType the type tools (IDEs) should check written values against: {@link String} where
 *     Flagway's syntax is wider than the value's Java type (ratios accept percentages)
 * @param values the values to offer, for a closed set of names; empty otherwise
 * @param parser from trimmed, non-empty text to the typed value, or empty when the text has the wrong syntax
 */
record ValueType<T>(String expected, Class<?> documentedType, List<String> values,
                    Function<String, Optional<T>> parser) {
    /** A ratio in (0, 1], as a decimal or a percentage. */
    static final ValueType<Double> RATIO = of("a ratio in (0, 1], e.g. 0.01 or 1%", String.class, ValueType::fraction);
    /** A share in [0, 1], as a decimal or a percentage. */
    static final ValueType<Double> SHARE = of("a share in [0, 1], e.g. 0.05 or 5%", String.class, ValueType::fraction);
    /** A plain decimal number greater than 1. */
    static final ValueType<Double> MULTIPLE = of("a number greater than 1, e.g. 2.0", Double.class,
            text -> decimal(text).map(BigDecimal::doubleValue));
    /** A duration in the property form or ISO-8601. */
    static final ValueType<Duration> DURATION = of(
            "a duration such as 250ms, 2s, 5m, 1h, 7d or PT2S", Duration.class, ValueType::duration);
    /** A whole seconds duration, the breaker window. */
    static final ValueType<Duration> WHOLE_SECONDS = of(
            "a duration in whole seconds such as 10s, 1m or PT30S", Duration.class, ValueType::duration);
    /** A decimal integer. */
    static final ValueType<List<Double>> PERCENTS = of("comma-separated percents, e.g. 1,10,50,100", String.class,
            ValueType::percents);

    static final ValueType<Integer> INTEGER = of("an integer, e.g. 100", Integer.class, ValueType::integer);
    /** {@code true} or {@code false}, ignoring case; nothing else. */
    static final ValueType<Boolean> BOOLEAN = oneOf("true or false", Boolean.class,
            List.of("true", "false"), Map.of("true", true, "false", false));
    /** A {@link Stage} flag value, via {@link Stage#fromFlagValue(String)}. */
    static final ValueType<Stage> STAGE = new ValueType<>("one of " + String.join(", ", stageValues()), Stage.class,
            stageValues(), Stage::fromFlagValue);
    /** A {@link WritePolicy} by its lower-case name. */
    static final ValueType<WritePolicy> WRITE_POLICY = oneOf("repair or strict", WritePolicy.class,
            List.of("repair", "strict"), Map.of("repair", WritePolicy.REPAIR, "strict", WritePolicy.STRICT));
    /** A built-in {@link ShadowComparator} by name. */
    static final ValueType<ShadowComparator> COMPARATOR = oneOf("equality or canonical-bytes", String.class,
            List.of("equality", "canonical-bytes"),
            Map.of("equality", ShadowComparator.equality(), "canonical-bytes", ShadowComparator.canonicalBytes()));

    /** Any text, checked by the builder it goes to; {@code expected} describes it for empty values. */
    static ValueType<String> text(String expected) {
        return of(expected, String.class, Optional::of);
    }

    private static <T> ValueType<T> of(String expected, Class<?> documentedType, Function<String, Optional<T>> parser) {
        return new ValueType<>(expected, documentedType, List.of(), parser);
    }

    /** A closed set of names, ignoring case; {@code values} lists them in the order to show. */
    private static <T> ValueType<T> oneOf(String expected, Class<?> documentedType, List<String> values,
                                          Map<String, T> byName) {
        return new ValueType<>(expected, documentedType, values,
                text -> Optional.ofNullable(byName.get(text.toLowerCase(Locale.ROOT))));
    }

    private static List<String> stageValues() {
        return Arrays.stream(Stage.values()).map(Stage::flagValue).toList();
    }

    private static Optional<Double> fraction(String text) {
        if (text.endsWith("%")) {
            return decimal(text.substring(0, text.length() - 1).trim()).map(d -> d.movePointLeft(2).doubleValue());
        }
        return decimal(text).map(BigDecimal::doubleValue);
    }

    /** A plain decimal, stricter than {@link Double#parseDouble}: no NaN, Infinity, hex or type suffix. */
    private static Optional<BigDecimal> decimal(String text) {
        try {
            return Optional.of(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> duration(String text) {
        try {
            return Optional.of(Durations.parse(text));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** Comma-separated plain decimals (a trailing {@code %} allowed on each); range checks are the builder's. */
    private static Optional<List<Double>> percents(String text) {
        List<Double> values = new java.util.ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            Optional<BigDecimal> value = decimal(p.endsWith("%") ? p.substring(0, p.length() - 1).strip() : p);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            values.add(value.get().doubleValue());
        }
        return Optional.of(values);
    }

    private static Optional<Integer> integer(String text) {
        try {
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
