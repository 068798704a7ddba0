package dev.flagway.cli;

import dev.flagway.internal.JsonText;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders the commands' {@code --format json} output: maps (in insertion order), collections,
 * strings, numbers, booleans and null; an {@link Instant} as its ISO-8601 text, a {@link Duration}
 * as milliseconds. One document per command, on one line, so that {@code jq} and CI scripts read it.
 */
final class Json {
    private Json() {
    }

    /** A map keeping insertion order, for building an object. */
    static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    /**
     * A JSON document rendered elsewhere (e.g. {@code MigrationStatus.toJson()} of the lifecycle),
     * written as it is.
     *
     * @param json well-formed JSON text
     */
    record Raw(String json) {
    }

    /** {@code value} as JSON text. */
    static String render(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Raw raw) {
            out.append(raw.json());
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                JsonText.quote(out, String.valueOf(e.getKey()));
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, item);
            }
            out.append(']');
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            out.append(Double.isFinite(d) ? String.valueOf(d) : "null");
        } else if (value instanceof Duration d) {
            out.append(d.toMillis());
        } else {
            JsonText.quote(out, value.toString());
        }
    }
}
