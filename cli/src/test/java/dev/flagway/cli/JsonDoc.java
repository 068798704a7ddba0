package dev.flagway.cli;

import java.util.List;
import java.util.Map;
import org.jooq.tools.json.JSONParser;
import org.jooq.tools.json.ParseException;

/** Reads the commands' JSON output (with jOOQ's bundled parser) and walks it by path. */
final class JsonDoc {
    private JsonDoc() {
    }

    /** The JSON document {@code text} as maps, lists, strings, numbers, booleans and null. */
    static Object parse(String text) {
        try {
            return new JSONParser().parse(text.strip());
        } catch (ParseException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** The value at a dotted path of map keys and list indexes, e.g. {@code flag.stage} or {@code waits.0.blocked}. */
    static Object at(Object doc, String path) {
        Object current = doc;
        for (String part : path.split("\\.")) {
            if (current instanceof Map<?, ?> m) {
                if (!m.containsKey(part)) {
                    throw new AssertionError("no '" + part + "' in " + m.keySet() + " (path " + path + ")");
                }
                current = m.get(part);
            } else if (current instanceof List<?> l) {
                current = l.get(Integer.parseInt(part));
            } else {
                throw new AssertionError("cannot walk '" + part + "' of " + current + " (path " + path + ")");
            }
        }
        return current;
    }

    static long number(Object doc, String path) {
        return ((Number) at(doc, path)).longValue();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object doc, String path) {
        return (List<Object>) at(doc, path);
    }
}
