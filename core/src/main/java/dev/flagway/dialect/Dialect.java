package dev.flagway.dialect;

import dev.flagway.schema.DdlMode;
import dev.flagway.schema.DdlStatement;
import dev.flagway.schema.LintFinding;
import dev.flagway.schema.SchemaOperation;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.Name;
import org.jooq.SQLDialect;

/**
 * What the dialect-neutral engine (DDL executor, backfill, verification, contract gate) needs from
 * one database family. Implementations: {@code PostgresDialect} in {@code flagway-jdbc-postgres},
 * the MySQL/MariaDB dialect in {@code flagway-jdbc-mysql}, and {@link H2Dialect} for tests.
 * Implementations are stateless or thread-safe.
 */
public interface Dialect {
    /** A short name for logs, e.g. {@code postgresql}. */
    String name();

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

    /**
     * Whether {@code e} itself (not its causes) means the connection was lost (terminated, killed,
     * server restart, network, evicted from the pool): worth a reconnect. By default the signs every
     * driver gives ({@link ConnectionFailures#isStandard}); dialects add their own codes to those.
     * {@link ConnectionFailures#isLost} applies this to a whole chain of causes.
     */
    default boolean isConnectionFailure(SQLException e) {
        return ConnectionFailures.isStandard(e);
    }

    // --- lock diagnostics ------------------------------------------------------------------------

    /** The other sessions holding or queued for locks on {@code table}: who blocks DDL on it. */
    List<SessionInfo> lockHolders(Connection connection, Name table) throws SQLException;

    /** Every session waiting for a lock, with its blockers. */
    List<LockWait> lockWaits(Connection connection) throws SQLException;

    /**
     * The queries an operator runs by hand on this server while migrating {@code table}, in this order:
     * the sessions holding or waiting for locks on the table (blockers), every lock wait with its
     * blocker, and the long-running transactions. They only read; the runbook prints them.
     */
    List<DiagnosticQuery> diagnosticQueries(Name table);

    // --- backfill --------------------------------------------------------------------------------

    /** The fleet-wide single-runner lock over {@code dataSource}. */
    RunnerLock runnerLock(DataSource dataSource);

    /** The health signals a backfill watches unless told otherwise (may be empty). */
    List<HealthSignal> defaultHealthSignals(DataSource dataSource);

    /** A cheap estimate of the table's row count, for progress and ETA; never a full scan on a big table. */
    long estimateRows(Connection connection, Name table) throws SQLException;

    /** Labels the session so operators (and tests) can find it, e.g. PostgreSQL's {@code application_name}. */
    void tagSession(Connection connection, String label) throws SQLException;

    /**
     * Labels the session ({@link #tagSession}) and returns the connection to do the labelled work on:
     * by default {@code connection} itself; a dialect whose label not every server shows may return
     * one that also marks each statement (MySQL and MariaDB: a leading comment, which the process
     * list shows).
     */
    default Connection labelled(Connection connection, String label) throws SQLException {
        tagSession(connection, label);
        return connection;
    }

    /** Limits the run time of the statements in the open transaction, for chunked verification queries. */
    void limitStatementTime(Connection connection, Duration timeout) throws SQLException;
}
