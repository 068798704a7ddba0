package dev.flagway.schema;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.Field;
import org.jooq.Param;

/**
 * Whether a column default makes the server compute a value for every existing row when the column
 * is added. A literal never does. PostgreSQL 11+ stores the value of a non-volatile default once
 * (stable functions such as {@code now()} included) but rewrites the table for a volatile one
 * ({@code random()}, {@code clock_timestamp()}, {@code gen_random_uuid()}, {@code nextval()}).
 * MySQL and MariaDB add a column instantly with a literal or the {@code CURRENT_TIMESTAMP} family;
 * other expression defaults may copy the table. For any other server only literals count as safe.
 * A function this class does not know counts as volatile.
 */
final class DefaultVolatility {
    private static final Set<String> POSTGRES_NON_VOLATILE = Set.of("cast", "coalesce", "nullif", "greatest",
            "least", "lower", "upper", "trim", "btrim", "length", "abs", "round", "concat", "now",
            "current_timestamp", "current_date", "current_time", "localtimestamp", "localtime",
            "statement_timestamp", "transaction_timestamp", "current_user", "session_user", "current_role", "user",
            "current_schema", "current_catalog", "to_jsonb", "jsonb_build_object", "json_build_object",
            "jsonb_build_array", "json_build_array", "make_interval");
    private static final Set<String> MYSQL_NON_VOLATILE = Set.of("cast", "current_timestamp", "now",
            "localtimestamp", "localtime");
    /** Special values written without parentheses that are functions nonetheless. */
    private static final Set<String> BARE_FUNCTIONS = Set.of("current_timestamp", "current_date", "current_time",
            "localtimestamp", "localtime", "current_user", "session_user", "current_role", "user",
            "current_schema", "current_catalog");

    private DefaultVolatility() {
    }

    /**
     * Why adding a column with default {@code value} makes {@code server} compute it for every row,
     * or empty when it does not.
     */
    static Optional<String> volatileFunctions(Field<?> value, ServerKind server, SqlPieces pieces) {
        if (value instanceof Param) {
            return Optional.empty();
        }
        String rendered = pieces.render(value);
        if (server == ServerKind.OTHER) {
            return Optional.of("default " + rendered + " is not a literal");
        }
        Set<String> allowed = server == ServerKind.POSTGRESQL ? POSTGRES_NON_VOLATILE : MYSQL_NON_VOLATILE;
        Set<String> unknown = new TreeSet<>();
        for (String function : functions(rendered, server)) {
            if (!allowed.contains(function)) {
                unknown.add(function);
            }
        }
        return unknown.isEmpty() ? Optional.empty()
                : Optional.of("default " + rendered + " calls " + String.join(", ", unknown) + ", which may be volatile");
    }

    /** The functions an expression calls: names followed by '(' and the special values written bare. */
    private static Set<String> functions(String expression, ServerKind server) {
        Set<String> functions = new TreeSet<>();
        for (SqlScript.Statement statement : SqlScript.read(expression, server).statements()) {
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
