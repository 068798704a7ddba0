package dev.flagway.schema;

import java.util.Locale;

/**
 * One token of a SQL script.
 *
 * @param kind what it is
 * @param text its text as written (quotes included)
 * @param start offset of its first character in the script
 * @param end offset just after its last character
 * @param line the line it starts on, from 1
 */
record SqlToken(Kind kind, String text, int start, int end, int line) {
    /** Token kinds. */
    enum Kind {
        /** A keyword or unquoted identifier. */
        WORD,
        /** A quoted identifier: {@code "name"} (PostgreSQL) or {@code `name`} (MySQL). */
        QUOTED_NAME,
        /** A string literal, dollar-quoted string included. */
        STRING,
        /** A number. */
        NUMBER,
        /** Any other single character: punctuation or an operator character. */
        SYMBOL
    }

    /** Whether this is the keyword (or unquoted word) {@code word}, in any case. */
    boolean is(String word) {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    /** Whether this is the symbol {@code c}. */
    boolean isSymbol(char c) {
        return kind == Kind.SYMBOL && text.charAt(0) == c;
    }

    /** Whether this token can name a table, column, index or constraint. */
    boolean isName() {
        return kind == Kind.WORD || kind == Kind.QUOTED_NAME;
    }

    /**
     * The identifier it names, as the server folds it: unquoted names lower-cased, quoted ones
     * unquoted and kept as written.
     */
    String name() {
        if (kind == Kind.QUOTED_NAME) {
            String quote = text.substring(0, 1);
            return text.substring(1, text.length() - 1).replace(quote + quote, quote);
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /**
     * This MySQL string literal ({@code 'it\'s'} or {@code "a"}) as a standard SQL one
     * ({@code 'it''s'}), which jOOQ's parser reads.
     */
    String standardString() {
        char quote = text.charAt(0);
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 2 < text.length()) {
                char escaped = text.charAt(++i);
                value.append(escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped == 'r' ? '\r'
                        : escaped == '0' ? '\0' : escaped);
            } else if (c == quote) {
                value.append(c);
                i++;
            } else {
                value.append(c);
            }
        }
        return "'" + value.toString().replace("'", "''") + "'";
    }
}
