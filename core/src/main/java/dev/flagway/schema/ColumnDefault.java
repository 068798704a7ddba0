package dev.flagway.schema;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.impl.ParserException;

/**
 * A column's default as the rules judge it: its SQL and whether it is a literal. jOOQ's parser reads
 * the expression where it can (its rendering then names functions the same way whoever wrote them);
 * where jOOQ 3.19 refuses it ({@code nextval('s'::regclass)}, {@code ''::character varying},
 * {@code AT TIME ZONE}, MySQL's {@code 0x00}), the expression is judged from its own tokens.
 *
 * <p>Whether adding the column makes the server compute the default for every existing row: a
 * literal never does. PostgreSQL 11+ stores the value of a non-volatile default once (stable
 * functions such as {@code now()} included) but rewrites the table for a volatile one
 * ({@code random()}, {@code clock_timestamp()}, {@code gen_random_uuid()}, {@code nextval()}). MySQL
 * and MariaDB add a column instantly with a literal or the {@code CURRENT_TIMESTAMP} family; other
 * expression defaults may copy the table. For any other server only literals count as safe. A
 * function this class does not know counts as volatile.
 *
 * @param sql the default's SQL
 * @param literal whether it is a literal (a string, a number, NULL, TRUE or FALSE)
 */
record ColumnDefault(String sql, boolean literal) {
    private static final Set<String> POSTGRES_NON_VOLATILE = Set.of("cast", "coalesce", "nullif", "greatest",
            "least", "lower", "upper", "trim", "btrim", "length", "abs", "round", "concat", "now",
            "current_timestamp", "current_date", "current_time", "localtimestamp", "localtime",
            "statement_timestamp", "transaction_timestamp", "current_user", "session_user", "current_role", "user",
            "current_schema", "current_catalog", "to_jsonb", "jsonb_build_object", "json_build_object",
            "jsonb_build_array", "json_build_array", "make_interval", "timezone", "current_setting");
    private static final Set<String> MYSQL_NON_VOLATILE = Set.of("cast", "current_timestamp", "now",
            "localtimestamp", "localtime");
    /** Special values written without parentheses that are functions nonetheless. */
    private static final Set<String> BARE_FUNCTIONS = Set.of("current_timestamp", "current_date", "current_time",
            "localtimestamp", "localtime", "current_user", "session_user", "current_role", "user",
            "current_schema", "current_catalog");
    private static final Set<String> LITERAL_WORDS = Set.of("null", "true", "false");

    /** A default built with jOOQ (a {@link SchemaOperation}'s, or one jOOQ parsed). */
    static ColumnDefault of(Field<?> value, SqlPieces pieces) {
        return new ColumnDefault(pieces.render(value), value instanceof Param);
    }

    /** The default written as {@code tokens}, read by jOOQ where it can. */
    static ColumnDefault read(List<SqlToken> tokens, SqlPieces pieces) {
        try {
            return of(pieces.expression(tokens), pieces);
        } catch (ParserException e) {
            return new ColumnDefault(TokenCursor.text(tokens), isLiteral(tokens));
        }
    }

    private static boolean isLiteral(List<SqlToken> tokens) {
        SqlToken last = tokens.get(tokens.size() - 1);
        boolean signed = tokens.size() == 2 && (tokens.get(0).isSymbol('-') || tokens.get(0).isSymbol('+'))
                && last.kind() == SqlToken.Kind.NUMBER;
        return signed || tokens.size() == 1 && (last.kind() == SqlToken.Kind.STRING
                || last.kind() == SqlToken.Kind.NUMBER || LITERAL_WORDS.contains(last.text().toLowerCase(Locale.ROOT)));
    }

    /**
     * Why adding a column with this default makes {@code server} compute it for every row, or empty
     * when it does not.
     */
    Optional<String> volatileFunctions(ServerKind server) {
        if (literal) {
            return Optional.empty();
        }
        if (server == ServerKind.OTHER) {
            return Optional.of("default " + sql + " is not a literal");
        }
        Set<String> allowed = server == ServerKind.POSTGRESQL ? POSTGRES_NON_VOLATILE : MYSQL_NON_VOLATILE;
        Set<String> unknown = new TreeSet<>(functions(server));
        unknown.removeAll(allowed);
        return unknown.isEmpty() ? Optional.empty()
                : Optional.of("default " + sql + " calls " + String.join(", ", unknown) + ", which may be volatile");
    }

    /** The functions the default calls: names followed by '(' and the special values written bare. */
    private Set<String> functions(ServerKind server) {
        Set<String> functions = new TreeSet<>();
        for (SqlScript.Statement statement : SqlScript.read(sql, server).statements()) {
            List<SqlToken> tokens = statement.tokens();
            for (int i = 0; i < tokens.size(); i++) {
                SqlToken token = tokens.get(i);
                if (token.kind() != SqlToken.Kind.WORD) {
                    continue;
                }
                String name = token.text().toLowerCase(Locale.ROOT);
                boolean call = i + 1 < tokens.size() && tokens.get(i + 1).isSymbol('(');
                if (call || BARE_FUNCTIONS.contains(name)) {
                    functions.add(name);
                }
            }
        }
        return functions;
    }
}
