package dev.flagway.openfeature;

import dev.flagway.Stage;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jooq.tools.json.JSONParser;
import org.jooq.tools.json.ParseException;

/** Validation, canonical text and typed values of flag variants. */
final class Variants {
    /** The longest variant text the tables hold. */
    static final int MAX_LENGTH = 2000;

    private static final String STAGES = Arrays.stream(Stage.values()).map(Stage::flagValue)
            .collect(Collectors.joining(", "));

    private Variants() {
    }

    /**
     * The canonical text of a variant of the given type.
     *
     * @param what what the text is, for the message, e.g. {@code "rollout variant of flag 'x'"}
     * @throws IllegalArgumentException naming the value and what was expected
     */
    static String canonical(FlagType type, String text, String what) {
        if (text == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " is " + text.length() + " characters long; at most "
                    + MAX_LENGTH + " are allowed");
        }
        String trimmed = text.trim();
        switch (type) {
            case STAGE:
                return Stage.fromFlagValue(trimmed).map(Stage::flagValue).orElseThrow(() ->
                        new IllegalArgumentException(what + " '" + abbreviate(text) + "' is not a stage: use one of "
                                + STAGES));
            case BOOLEAN:
                String lower = trimmed.toLowerCase(Locale.ROOT);
                if (lower.equals("true") || lower.equals("false")) {
                    return lower;
                }
                throw new IllegalArgumentException(what + " '" + abbreviate(text) + "' is not a boolean: use true or false");
            case INTEGER:
                try {
                    return Long.toString(Long.parseLong(trimmed));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(what + " '" + abbreviate(text)
                            + "' is not an integer in the 64-bit range");
                }
            case DOUBLE:
                double d;
                try {
                    d = Double.parseDouble(trimmed);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(what + " '" + abbreviate(text) + "' is not a number");
                }
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException(what + " '" + abbreviate(text) + "' is not a finite number");
                }
                return Double.toString(d);
            case OBJECT:
                parseJson(trimmed, what);
                return trimmed;
            case STRING:
            default:
                return text;
        }
    }

    /**
     * The value a canonical variant evaluates to: String for stage and string flags, Boolean, Long,
     * Double, or an immutable {@link Value} for object flags.
     *
     * @throws IllegalArgumentException when the text is not a valid variant of the type
     */
    static Object typedValue(FlagType type, String text, String what) {
        String canonical = canonical(type, text, what);
        switch (type) {
            case BOOLEAN:
                return Boolean.valueOf(canonical);
            case INTEGER:
                return Long.valueOf(canonical);
            case DOUBLE:
                return Double.valueOf(canonical);
            case OBJECT:
                return toValue(parseJson(canonical, what));
            case STAGE:
            case STRING:
            default:
                return canonical;
        }
    }

    private static Object parseJson(String text, String what) {
        Object parsed;
        try {
            parsed = new JSONParser().parse(text);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException(what + " '" + abbreviate(text) + "' is not valid JSON: " + e);
        }
        if (!(parsed instanceof Map) && !(parsed instanceof List)) {
            throw new IllegalArgumentException(what + " '" + abbreviate(text)
                    + "' must be a JSON object or array for an object flag");
        }
        return parsed;
    }

    /** Converts parsed JSON into an immutable OpenFeature value. */
    static Value toValue(Object json) {
        if (json == null) {
            return new Value();
        }
        if (json instanceof Map) {
            Map<String, Value> fields = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) json).entrySet()) {
                fields.put(String.valueOf(e.getKey()), toValue(e.getValue()));
            }
            return new Value(new ImmutableStructure(fields));
        }
        if (json instanceof List) {
            List<Value> items = new ArrayList<>();
            for (Object item : (List<?>) json) {
                items.add(toValue(item));
            }
            return new Value(Collections.unmodifiableList(items));
        }
        if (json instanceof Boolean) {
            return new Value((Boolean) json);
        }
        if (json instanceof String) {
            return new Value((String) json);
        }
        if (json instanceof Double || json instanceof Float) {
            return new Value(((Number) json).doubleValue());
        }
        if (json instanceof Number) {
            long l = ((Number) json).longValue();
            return l == (int) l ? new Value((int) l) : new Value(l);
        }
        return new Value(String.valueOf(json));
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
