package dev.flagway.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * A SQL script cut into statements and comments the way the server reads it: semicolons end
 * statements except inside string literals, quoted names, comments and PostgreSQL dollar quotes;
 * MySQL and MariaDB also take backslash escapes in strings and {@code #} comments, PostgreSQL nests
 * block comments. {@code DELIMITER} (a client command) is not understood.
 *
 * @param statements the statements, in order; an unterminated literal or comment ends the last one
 *        with a {@link Statement#problem() problem}
 * @param comments every comment, in order
 */
record SqlScript(List<Statement> statements, List<Comment> comments) {
    /**
     * One statement.
     *
     * @param tokens its tokens, comments excluded, the terminating semicolon excluded
     * @param line the line of its first token
     * @param lastLine the line of its terminating semicolon, or of its last token
     * @param text its text from its first token to its end, semicolon excluded
     * @param problem why it could not be read to its end (an unterminated literal), or empty
     */
    record Statement(List<SqlToken> tokens, int line, int lastLine, String text, String problem) {
        Statement {
            tokens = List.copyOf(tokens);
        }

        int start() {
            return tokens.get(0).start();
        }
    }

    /**
     * One comment.
     *
     * @param text its text without the comment markers, trimmed
     * @param start offset of its first character
     * @param line the line it starts on
     * @param lastLine the line it ends on
     */
    record Comment(String text, int start, int line, int lastLine) {
    }

    SqlScript {
        statements = List.copyOf(statements);
        comments = List.copyOf(comments);
    }

    /** Reads {@code sql} as {@code server} would. */
    static SqlScript read(String sql, ServerKind server) {
        return new Reader(sql, server.isMySqlFamily()).read();
    }

    private static final class Reader {
        private final String sql;
        private final boolean mysql;
        private final List<Statement> statements = new ArrayList<>();
        private final List<Comment> comments = new ArrayList<>();
        private final List<SqlToken> current = new ArrayList<>();
        private int pos;
        private int line = 1;

        Reader(String sql, boolean mysql) {
            this.sql = sql;
            this.mysql = mysql;
            this.pos = sql.startsWith("\uFEFF") ? 1 : 0; // a byte order mark, as editors on Windows write
        }

        SqlScript read() {
            while (pos < sql.length()) {
                char c = sql.charAt(pos);
                if (c == '\n') {
                    line++;
                    pos++;
                } else if (Character.isWhitespace(c)) {
                    pos++;
                } else if (c == ';') {
                    endStatement(line, "");
                    pos++;
                } else if (startsLineComment()) {
                    lineComment();
                } else if (c == '/' && peek(1) == '*') {
                    if (!blockComment()) {
                        return unterminated("comment");
                    }
                } else if (!token()) {
                    return unterminated("literal");
                }
            }
            endStatement(current.isEmpty() ? line : current.get(current.size() - 1).line(), "");
            return new SqlScript(statements, comments);
        }

        private SqlScript unterminated(String what) {
            int startLine = line;
            SqlToken rest = new SqlToken(SqlToken.Kind.SYMBOL, sql.substring(pos), pos, sql.length(), startLine);
            current.add(rest);
            endStatement(countLines(sql.length()), "unterminated " + what + " starting at line " + startLine);
            return new SqlScript(statements, comments);
        }

        private boolean startsLineComment() {
            char c = sql.charAt(pos);
            if (mysql && c == '#') {
                return true;
            }
            if (c != '-' || peek(1) != '-') {
                return false;
            }
            // MySQL needs whitespace (or the end) after "--": "--1" is minus minus one.
            return !mysql || pos + 2 >= sql.length() || Character.isWhitespace(sql.charAt(pos + 2));
        }

        private void lineComment() {
            int start = pos;
            int from = pos + (sql.charAt(pos) == '#' ? 1 : 2);
            int end = sql.indexOf('\n', pos);
            pos = end < 0 ? sql.length() : end;
            comments.add(new Comment(sql.substring(from, pos).trim(), start, line, line));
        }

        /** A block comment; PostgreSQL nests them, MySQL does not. */
        private boolean blockComment() {
            int start = pos;
            int startLine = line;
            int depth = 0;
            while (pos < sql.length()) {
                if (sql.startsWith("/*", pos) && (depth == 0 || !mysql)) {
                    depth++;
                    pos += 2;
                } else if (sql.startsWith("*/", pos)) {
                    depth--;
                    pos += 2;
                    if (depth == 0) {
                        comments.add(new Comment(sql.substring(start + 2, pos - 2).trim(), start, startLine, line));
                        return true;
                    }
                } else {
                    if (sql.charAt(pos) == '\n') {
                        line++;
                    }
                    pos++;
                }
            }
            pos = start;
            line = startLine;
            return false;
        }

        /** Reads one token; false, with nothing consumed, when a literal runs to the end of the script. */
        private boolean token() {
            int start = pos;
            int startLine = line;
            if (!readToken()) {
                pos = start;
                line = startLine;
                return false;
            }
            return true;
        }

        private boolean readToken() {
            char c = sql.charAt(pos);
            int start = pos;
            int startLine = line;
            SqlToken.Kind kind;
            if (c == '\'') {
                kind = SqlToken.Kind.STRING;
                if (!quoted('\'', mysql)) {
                    return false;
                }
            } else if ((c == 'E' || c == 'e') && peek(1) == '\'' && !mysql) {
                pos++;
                kind = SqlToken.Kind.STRING;
                if (!quoted('\'', true)) {
                    return false;
                }
            } else if (c == '"') {
                kind = mysql ? SqlToken.Kind.STRING : SqlToken.Kind.QUOTED_NAME;
                if (!quoted('"', mysql)) {
                    return false;
                }
            } else if (c == '`' && mysql) {
                kind = SqlToken.Kind.QUOTED_NAME;
                if (!quoted('`', false)) {
                    return false;
                }
            } else if (c == '$' && !mysql && dollarTag() != null) {
                kind = SqlToken.Kind.STRING;
                if (!dollarQuoted(dollarTag())) {
                    return false;
                }
            } else if (Character.isLetter(c) || c == '_') {
                kind = SqlToken.Kind.WORD;
                while (pos < sql.length() && isWordPart(sql.charAt(pos))) {
                    pos++;
                }
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
                kind = SqlToken.Kind.NUMBER;
                while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                    pos++;
                }
            } else {
                kind = SqlToken.Kind.SYMBOL;
                pos++;
            }
            current.add(new SqlToken(kind, sql.substring(start, pos), start, pos, startLine));
            return true;
        }

        private static boolean isWordPart(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }

        /** A literal between {@code quote}s; a doubled quote is one quote, a backslash escapes where {@code backslash}. */
        private boolean quoted(char quote, boolean backslash) {
            pos++;
            while (pos < sql.length()) {
                char c = sql.charAt(pos);
                if (c == '\n') {
                    line++;
                }
                if (backslash && c == '\\' && pos + 1 < sql.length()) {
                    if (sql.charAt(pos + 1) == '\n') {
                        line++;
                    }
                    pos += 2;
                } else if (c == quote && peek(1) == quote) {
                    pos += 2;
                } else if (c == quote) {
                    pos++;
                    return true;
                } else {
                    pos++;
                }
            }
            return false;
        }

        /** The {@code $tag$} opening a PostgreSQL dollar-quoted string at {@code pos}, or null. */
        private String dollarTag() {
            int end = pos + 1;
            while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                end++;
            }
            boolean valid = end < sql.length() && sql.charAt(end) == '$'
                    && (end == pos + 1 || !Character.isDigit(sql.charAt(pos + 1)));
            return valid ? sql.substring(pos, end + 1) : null;
        }

        private boolean dollarQuoted(String tag) {
            int close = sql.indexOf(tag, pos + tag.length());
            if (close < 0) {
                return false;
            }
            line += countNewlines(pos, close + tag.length());
            pos = close + tag.length();
            return true;
        }

        private char peek(int ahead) {
            return pos + ahead < sql.length() ? sql.charAt(pos + ahead) : '\0';
        }

        private void endStatement(int lastLine, String problem) {
            if (!current.isEmpty()) {
                SqlToken first = current.get(0);
                SqlToken last = current.get(current.size() - 1);
                statements.add(new Statement(current, first.line(), lastLine,
                        sql.substring(first.start(), last.end()), problem));
                current.clear();
            }
        }

        private int countNewlines(int from, int to) {
            int n = 0;
            for (int i = from; i < to; i++) {
                if (sql.charAt(i) == '\n') {
                    n++;
                }
            }
            return n;
        }

        private int countLines(int to) {
            return 1 + countNewlines(0, to);
        }
    }
}
