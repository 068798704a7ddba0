package dev.flagway.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.jooq.Name;
import org.jooq.SQLDialect;

/**
 * What the schema engine ({@link SchemaExecutor}, {@link SchemaLinter}) needs from one database
 * family: the lock-safe plan of an operation, its timeouts, and who holds the locks a statement
 * waits for. Every {@link dev.flagway.dialect.Dialect} is one; implement that, not this.
 */
public interface DdlDialect {
    /** The jOOQ dialect the engine renders its queries with (verification and backfill SQL differences live there). */
    SQLDialect sqlDialect();

    // --- lock-safe DDL ---------------------------------------------------------------------------

    /**
     * The lock-safe statements that carry out {@code operation}, in order. Each statement must be
     * idempotent (or name the SQLSTATEs that mean "already applied"), so a re-run after a failure
     * finishes the work.
     */
    List<DdlStatement> plan(SchemaOperation operation);

    /** Extra lint findings for this database, on top of the shared rules; none by default. */
    default List<LintFinding> lint(SchemaOperation operation) {
        return List.of();
    }

    /**
     * Sets the lock wait and statement timeouts for the next statement of {@code mode}: local to the
     * open transaction for {@link DdlMode#QUICK} and {@link DdlMode#VALIDATE}, for the session for
     * {@link DdlMode#ONLINE} (undone by {@link #resetTimeouts}).
     */
    void applyTimeouts(Connection connection, DdlMode mode, Duration lockTimeout, Duration statementTimeout)
            throws SQLException;

    /** Restores the session's own timeouts after an {@link DdlMode#ONLINE} statement. */
    void resetTimeouts(Connection connection) throws SQLException;

    /**
     * Runs one planned DDL statement on {@code connection}, after {@link #applyTimeouts}. A dialect
     * whose server cannot keep {@code lockTimeout} by itself (MySQL counts whole seconds) keeps it
     * here, and reports a statement it cancelled for waiting too long as a lock timeout
     * ({@link #isLockTimeout}). By default the statement just runs.
     */
    default void executeDdl(Connection connection, String sql, Duration lockTimeout) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** Whether {@code e} means a statement gave up waiting for a lock (PostgreSQL 55P03, MySQL 1205). */
    boolean isLockTimeout(SQLException e);

    // --- lock diagnostics ------------------------------------------------------------------------

    /** The other sessions holding or queued for locks on {@code table}: who blocks DDL on it. */
    List<SessionInfo> lockHolders(Connection connection, Name table) throws SQLException;
}
