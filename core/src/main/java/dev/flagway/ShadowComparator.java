package dev.flagway;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a shadow read agrees with the read returned to the caller. Arguments are in path
 * order: the legacy result first, the modern result second.
 */
@FunctionalInterface
public interface ShadowComparator {
    /** Whether the two results agree. Must not throw; a throwing comparator counts as a mismatch. */
    boolean matches(Object legacy, Object modern);

    /** {@link Objects#deepEquals}: the default. */
    static ShadowComparator equality() {
        return Objects::deepEquals;
    }

    /**
     * A byte-for-byte comparison of canonical forms, for catching silent truncation and type
     * coercion: strings compare by their UTF-8 bytes, {@code byte[]} as is, {@link Optional}s by
     * content, arrays, collections and maps element by element in iteration order, anything else by
     * {@code String.valueOf} in UTF-8. So {@code "é"} composed and decomposed differ, and a value
     * truncated in the new column differs, while an {@code Integer} and a {@code Long} of the same
     * number agree.
     */
    static ShadowComparator canonicalBytes() {
        return (legacy, modern) -> Arrays.equals(CanonicalBytes.of(legacy), CanonicalBytes.of(modern));
    }

    /** Builds the canonical byte form used by {@link #canonicalBytes()}. */
    final class CanonicalBytes {
        private CanonicalBytes() {
        }

        static byte[] of(Object value) {
            StringBuilder out = new StringBuilder();
            append(out, value);
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }

        private static void append(StringBuilder out, Object value) {
            if (value == null) {
                out.append("\u0000null");
            } else if (value instanceof Optional) {
                append(out, ((Optional<?>) value).orElse(null));
            } else if (value instanceof byte[]) {
                out.append("\u0000bytes:").append(Arrays.toString((byte[]) value));
            } else if (value.getClass().isArray()) {
                int length = Array.getLength(value);
                out.append('[');
                for (int i = 0; i < length; i++) {
                    append(out, Array.get(value, i));
                    out.append('\u0001');
                }
                out.append(']');
            } else if (value instanceof Collection) {
                appendAll(out, ((Collection<?>) value).iterator());
            } else if (value instanceof Map) {
                out.append('{');
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    append(out, e.getKey());
                    out.append('\u0002');
                    append(out, e.getValue());
                    out.append('\u0001');
                }
                out.append('}');
            } else {
                out.append(value);
            }
        }

        private static void appendAll(StringBuilder out, Iterator<?> items) {
            out.append('[');
            while (items.hasNext()) {
                append(out, items.next());
                out.append('\u0001');
            }
            out.append(']');
        }
    }
}
