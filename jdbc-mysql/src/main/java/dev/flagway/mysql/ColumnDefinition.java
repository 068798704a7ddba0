package dev.flagway.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A column definition as {@code SHOW CREATE TABLE} prints it (without the name), rewritten with
 * another nullability for {@code ALTER TABLE ... MODIFY}. Everything else (type, character set,
 * default, comment, generated expression) is kept verbatim; quoted strings and parenthesised
 * expressions are never touched. Both servers accept column attributes in any order.
 */
final class ColumnDefinition {
    private ColumnDefinition() {
    }

    /**
     * The definition with {@code NOT NULL} (dropping a {@code DEFAULT NULL}, which a NOT NULL column
     * cannot have) or with {@code NULL}.
     */
    static String withNullability(String definition, boolean notNull) {
        List<String> tokens = tokens(definition);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
            if (is(token, "NOT") && is(next, "NULL") || notNull && is(token, "DEFAULT") && is(next, "NULL")) {
                i++;
            } else if (!is(token, "NULL")) {
                kept.add(token);
            }
        }
        kept.add(notNull ? "NOT NULL" : "NULL");
        return String.join(" ", kept);
    }

    /** Splits at top-level spaces; a quoted string or a parenthesised group stays one token. */
    static List<String> tokens(String definition) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < definition.length(); i++) {
            char ch = definition.charAt(i);
            if (quote != 0) {
                current.append(ch);
                if (ch == '\\' && i + 1 < definition.length()) {
                    current.append(definition.charAt(++i));
                } else if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
                current.append(ch);
            } else if (ch == '(' || ch == ')') {
                depth += ch == '(' ? 1 : -1;
                current.append(ch);
            } else if (Character.isWhitespace(ch) && depth == 0) {
                if (current.length() > 0) {
                    tokens.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(ch);
            }
        }
        if (current.length() > 0) {
            tokens.add(current.toString());
        }
        return tokens;
    }

    private static boolean is(String token, String keyword) {
        return token.toUpperCase(Locale.ROOT).equals(keyword);
    }
}
