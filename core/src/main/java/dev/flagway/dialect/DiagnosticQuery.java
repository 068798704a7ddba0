package dev.flagway.dialect;

import java.util.Objects;

/**
 * A read-only query an operator runs by hand on the server during a migration, e.g. who holds locks
 * on the migrated table; the runbook prints the ones of its dialect ({@link Dialect#diagnosticQueries}).
 *
 * @param purpose what it shows, one line
 * @param sql the statement, ready to paste, with the table already filled in
 */
public record DiagnosticQuery(String purpose, String sql) {
    /** Checks both are given. */
    public DiagnosticQuery {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(sql, "sql");
    }

    /**
     * The SQL literal of an identifier's text for the queries' {@code WHERE} clauses: single quotes
     * doubled. Table names reaching here are checked names, so this is belt and braces.
     */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
