package dev.flagway.dialect;

import dev.flagway.schema.DdlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.Name;

/**
 * What the dialect-neutral engine (DDL executor, backfill, verification, contract gate) needs from
 * one database family. Implementations: {@code PostgresDialect} in {@code flagway-jdbc-postgres},
 * the MySQL/MariaDB dialect in {@code flagway-jdbc-mysql}, and {@link H2Dialect} for tests.
 * Implementations are stateless or thread-safe. The part the schema engine uses (lock-safe DDL and
 * who holds a table's locks) is {@link DdlDialect}, which this extends.
 */
public interface Dialect extends DdlDialect {
    /** A short name for logs, e.g. {@code postgresql}. */
    String name();

    /**
     * Whether {@code e} itself (not its causes) means the connection was lost (terminated, killed,
     * server restart, network, evicted from the pool): worth a reconnect. By default the signs every
     * driver gives ({@link ConnectionFailures#isStandard}); dialects add their own codes to those.
     * {@link ConnectionFailures#isLost} applies this to a whole chain of causes.
     */
    default boolean isConnectionFailure(SQLException e) {
        return ConnectionFailures.isStandard(e);
    }

    // --- lock diagnostics (who holds a table's locks: see DdlDialect#lockHolders) ----------------

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

    /**
     * Tidies {@code table} after a completed backfill, on a connection in autocommit mode: removes
     * what the backfill's updates left behind and refreshes the planner's statistics, without
     * blocking the table's reads and writes. By default nothing; PostgreSQL runs {@code VACUUM
     * (ANALYZE)}.
     */
    default void tidyAfterBackfill(Connection connection, Name table) throws SQLException {
    }

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
