package dev.flagway.internal;

import java.util.Locale;

/** JSON string literals, for the few hand-written JSON forms (the lifecycle status, the command line's output). */
public final class JsonText {
    private JsonText() {
    }

    /** Appends {@code value} to {@code out} as a quoted JSON string, escaping quotes, backslashes and control characters. */
    public static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
