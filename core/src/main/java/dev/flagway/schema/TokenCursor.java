package dev.flagway.schema;

import dev.flagway.FlagwayException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/** Reads a statement's tokens left to right; a token it did not expect ends the reading with {@link Unreadable}. */
final class TokenCursor {
    private final List<SqlToken> tokens;
    private int pos;

    TokenCursor(List<SqlToken> tokens) {
        this.tokens = tokens;
    }

    /** Why a statement could not be read; the linter reports it as {@link LintRule#UNPARSED}. */
    static final class Unreadable extends FlagwayException {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    boolean atEnd() {
        return pos >= tokens.size();
    }

    SqlToken peek() {
        return peek(0);
    }

    /** The token {@code ahead} positions on, or null past the end. */
    SqlToken peek(int ahead) {
        return pos + ahead < tokens.size() ? tokens.get(pos + ahead) : null;
    }

    SqlToken next() {
        if (atEnd()) {
            throw new Unreadable("the statement ends too early");
        }
        return tokens.get(pos++);
    }

    /** Whether the next tokens are the keywords {@code words}, in order. */
    boolean at(String... words) {
        for (int i = 0; i < words.length; i++) {
            SqlToken token = peek(i);
            if (token == null || !token.is(words[i])) {
                return false;
            }
        }
        return true;
    }

    /** Consumes the keywords {@code words} if they come next. */
    boolean accept(String... words) {
        if (at(words)) {
            pos += words.length;
            return true;
        }
        return false;
    }

    void expect(String... words) {
        if (!accept(words)) {
            throw unexpected(String.join(" ", words));
        }
    }

    boolean atSymbol(char c) {
        SqlToken token = peek();
        return token != null && token.isSymbol(c);
    }

    boolean acceptSymbol(char c) {
        if (atSymbol(c)) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes the first of {@code words} that comes next and returns it, or returns null when none does. */
    String acceptAny(String... words) {
        return Arrays.stream(words).filter(this::accept).findFirst().orElse(null);
    }

    /** A single name, folded as the server folds it. */
    String name() {
        SqlToken token = next();
        if (!token.isName()) {
            throw new Unreadable("expected a name but found '" + token.text() + "' at line " + token.line());
        }
        return token.name();
    }

    /** A possibly qualified name: {@code name [. name ...]}. */
    TableRef qualifiedName() {
        List<String> parts = new ArrayList<>();
        parts.add(name());
        while (acceptSymbol('.')) {
            parts.add(name());
        }
        return new TableRef(parts);
    }

    /** A parenthesised group; returns the tokens between the parentheses. */
    List<SqlToken> parenthesised() {
        List<SqlToken> group = group();
        return group.subList(1, group.size() - 1);
    }

    /** A parenthesised group, parentheses included. */
    List<SqlToken> group() {
        if (!atSymbol('(')) {
            throw unexpected("(");
        }
        int open = pos;
        int depth = 0;
        do {
            SqlToken token = next();
            if (token.isSymbol('(')) {
                depth++;
            } else if (token.isSymbol(')')) {
                depth--;
            }
        } while (depth > 0);
        return tokens.subList(open, pos);
    }

    /** Whether the next token is the keyword {@code word} and the one after it the symbol {@code c}. */
    boolean atThenSymbol(String word, char c) {
        SqlToken after = peek(1);
        return at(word) && after != null && after.isSymbol(c);
    }

    /** Every token left, consumed. */
    List<SqlToken> rest() {
        List<SqlToken> rest = tokens.subList(pos, tokens.size());
        pos = tokens.size();
        return rest;
    }

    void expectEnd() {
        if (!atEnd()) {
            throw unexpected("the end of the statement");
        }
    }

    Unreadable unexpected(String expected) {
        SqlToken token = peek();
        return new Unreadable(token == null ? "expected " + expected + " but the statement ends"
                : "expected " + expected + " but found '" + token.text() + "' at line " + token.line());
    }

    /** {@code tokens} cut at every {@code separator} outside parentheses. */
    static List<List<SqlToken>> split(List<SqlToken> tokens, char separator) {
        List<List<SqlToken>> parts = new ArrayList<>();
        List<SqlToken> rest = tokens;
        for (int at = indexOfTopLevel(rest, t -> t.isSymbol(separator)); at >= 0;
                at = indexOfTopLevel(rest, t -> t.isSymbol(separator))) {
            parts.add(rest.subList(0, at));
            rest = rest.subList(at + 1, rest.size());
        }
        parts.add(rest);
        return parts;
    }

    /** The index of the first token outside parentheses that {@code matches}, or -1. */
    static int indexOfTopLevel(List<SqlToken> tokens, Predicate<SqlToken> matches) {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            if (token.isSymbol('(')) {
                depth++;
            } else if (token.isSymbol(')')) {
                depth--;
            } else if (depth == 0 && matches.test(token)) {
                return i;
            }
        }
        return -1;
    }

    /** The tokens as SQL text, comments left out, tokens that touched still touching. */
    static String text(List<SqlToken> tokens) {
        return text(tokens, SqlToken::text);
    }

    /** The tokens as SQL text, each written by {@code write}. */
    static String text(List<SqlToken> tokens, Function<SqlToken, String> write) {
        StringBuilder text = new StringBuilder();
        SqlToken previous = null;
        for (SqlToken token : tokens) {
            if (previous != null && token.start() > previous.end()) {
                text.append(' ');
            }
            text.append(write.apply(token));
            previous = token;
        }
        return text.toString();
    }
}
