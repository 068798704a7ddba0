package dev.flagway.mysql;

import dev.flagway.dialect.ConnectionFailures;
import dev.flagway.dialect.DiagnosticQuery;
import dev.flagway.dialect.Dialect;
import dev.flagway.dialect.HealthSignal;
import dev.flagway.dialect.LockWait;
import dev.flagway.dialect.RunnerLock;
import dev.flagway.schema.SessionInfo;
import dev.flagway.internal.Checks;
import dev.flagway.internal.ServerDialect;
import dev.flagway.schema.DdlMode;
import dev.flagway.schema.DdlStatement;
import dev.flagway.schema.SchemaOperation;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * MySQL 8.0+ and MariaDB 10.6+ for the Flagway engine. The server is detected once when the dialect
 * is built ({@link MySqlServer}) and the code paths chosen from it.
 * <ul>
 *   <li>DDL: every statement is an {@code ALTER TABLE} with {@code ALGORITHM=INSTANT} where server
 *       and table allow it, else {@code ALGORITHM=INPLACE, LOCK=NONE}; requests that would copy the
 *       table or block writes are refused ({@link dev.flagway.schema.UnsafeOperationException} naming
 *       {@code TABLE_COPY} or {@code BLOCKING_LOCK}) unless
 *       {@link MySqlSettings.Builder#allowBlockingDdl blocking DDL is allowed}. Each statement waits at most
 *       {@link MySqlSettings#lockWaitTimeout()} for its metadata lock ({@code SET SESSION
 *       lock_wait_timeout} for whole seconds, a watchdog that cancels the waiting statement for
 *       fractions) and is retried by the executor on error 1205.</li>
 *   <li>Diagnostics: InnoDB row-lock waits and metadata-lock waits with their blockers (see
 *       {@link MetadataLockSource} for what each server shows); {@link #kill} only by explicit call.</li>
 *   <li>Backfill: single runner through {@code GET_LOCK}; health from {@code Threads_running} and the
 *       lag of the {@linkplain Builder#replicas replicas}.</li>
 * </ul>
 *
 * <pre>{@code
 * MySqlDialect dialect = MySqlDialect.detect(dataSource);
 * SchemaExecutor ddl = new SchemaExecutor(dataSource, dialect, DdlSettings.ofDefaults());
 * ddl.apply(List.of(SchemaOperation.addColumn("users", "email_normalized", SQLDataType.VARCHAR(320))));
 * }</pre>
 */
public final class MySqlDialect implements Dialect {
    private final MySqlServer server;
    private final MySqlSettings settings;
    private final List<DataSource> replicas;
    private final MySqlDdlPlanner planner;
    private final MySqlLockDiagnostics diagnostics;
    private final LockWaitWatchdog watchdog;

    private MySqlDialect(Builder b, MySqlServer server) {
        this.server = server;
        this.settings = b.settings;
        this.replicas = List.copyOf(b.replicas);
        DSLContext dsl = ServerDialect.using(server.isMariaDb() ? SQLDialect.MARIADB : SQLDialect.MYSQL);
        this.planner = new MySqlDdlPlanner(b.dataSource, server, settings, dsl);
        this.diagnostics = new MySqlLockDiagnostics(server);
        this.watchdog = new LockWaitWatchdog(b.dataSource);
    }

    /** A dialect with the default settings for the server behind {@code dataSource}. */
    public static MySqlDialect detect(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /** Starts a dialect for the server behind {@code dataSource}, which the DDL planner reads tables from. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** The detected server. */
    public MySqlServer server() {
        return server;
    }

    /** The settings. */
    public MySqlSettings settings() {
        return settings;
    }

    /** {@code mariadb} or {@code mysql}. */
    @Override
    public String name() {
        return server.isMariaDb() ? "mariadb" : "mysql";
    }

    @Override
    public SQLDialect sqlDialect() {
        return server.isMariaDb() ? SQLDialect.MARIADB : SQLDialect.MYSQL;
    }

    /**
     * Plans against the live table (so the plan is only valid for the table as it is now): operations
     * already applied plan nothing.
     *
     * @throws dev.flagway.schema.UnsafeOperationException when the request would copy the table
     *     ({@code TABLE_COPY}) or block writes ({@code BLOCKING_LOCK}) and blocking DDL is not allowed, or
     *     drops a column a view, trigger or generated column reads ({@code COLUMN_STILL_READ})
     * @throws dev.flagway.schema.DdlException when the table does not exist or cannot be read
     */
    @Override
    public List<DdlStatement> plan(SchemaOperation operation) {
        return planner.plan(operation);
    }

    /**
     * Sets {@code lock_wait_timeout} for the session: the requested timeout capped at
     * {@link MySqlSettings#lockWaitTimeout()}, in whole seconds rounded up ({@link #executeDdl} keeps
     * the fraction). On MariaDB also
     * {@code max_statement_time}; MySQL has no run-time limit for DDL ({@code max_execution_time}
     * only limits SELECT). Every planned statement is {@link DdlMode#ONLINE}, after which the
     * executor calls {@link #resetTimeouts}.
     */
    @Override
    public void applyTimeouts(Connection connection, DdlMode mode, Duration lockTimeout, Duration statementTimeout)
            throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(server.isMariaDb()
                ? "SET SESSION lock_wait_timeout = ?, SESSION max_statement_time = ?"
                : "SET SESSION lock_wait_timeout = ?")) {
            s.setLong(1, settings.lockWaitSeconds(lockTimeout));
            if (server.isMariaDb()) {
                s.setBigDecimal(2, BigDecimal.valueOf(statementTimeout.toMillis(), 3));
            }
            s.execute();
        }
    }

    /**
     * Runs the statement; when its metadata-lock wait budget (the requested lock timeout capped at
     * {@link MySqlSettings#lockWaitTimeout()}) is not a whole number of seconds, a watchdog cancels it
     * ({@code KILL QUERY}, from a connection of the dialect's data source) if it still waits for its
     * lock when the budget is spent, which the executor then treats as a lock wait timeout.
     */
    @Override
    public void executeDdl(Connection connection, String sql, Duration lockTimeout) throws SQLException {
        watchdog.execute(connection, sql, settings.lockWaitBudget(lockTimeout));
    }

    /** Restores the server's defaults of the variables {@link #applyTimeouts} set. */
    @Override
    public void resetTimeouts(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(server.isMariaDb()
                    ? "SET SESSION lock_wait_timeout = DEFAULT, SESSION max_statement_time = DEFAULT"
                    : "SET SESSION lock_wait_timeout = DEFAULT");
        }
    }

    /** Error 1205 (lock wait timeout, metadata locks included) or 1213 (deadlock victim): both mean retry later. */
    @Override
    public boolean isLockTimeout(SQLException e) {
        return MySqlErrors.lockNotGranted(e);
    }

    /** The standard signs, or the errors of a killed connection, a lost server or a shutdown. */
    @Override
    public boolean isConnectionFailure(SQLException e) {
        return ConnectionFailures.isStandard(e) || MySqlErrors.connectionLost(e);
    }

    @Override
    public List<SessionInfo> lockHolders(Connection connection, Name table) throws SQLException {
        return diagnostics.holders(connection, table);
    }

    @Override
    public List<LockWait> lockWaits(Connection connection) throws SQLException {
        return diagnostics.waits(connection);
    }

    @Override
    public List<DiagnosticQuery> diagnosticQueries(Name table) {
        return diagnostics.queries(table);
    }

    /**
     * Ends a session with {@code KILL CONNECTION}, rolling back its open transaction: only ever on an
     * operator's explicit call, typically for a blocker {@link #lockWaits} named.
     *
     * @return false when no session has that id
     */
    public boolean kill(Connection connection, long sessionId) throws SQLException {
        return MySqlLockDiagnostics.kill(connection, sessionId, false);
    }

    /**
     * Stops a session's running statement with {@code KILL QUERY}, keeping the session.
     *
     * @return false when no session has that id
     */
    public boolean killQuery(Connection connection, long sessionId) throws SQLException {
        return MySqlLockDiagnostics.kill(connection, sessionId, true);
    }

    /** A named user lock ({@code GET_LOCK}) held by a connection of its own for the lease. */
    @Override
    public RunnerLock runnerLock(DataSource dataSource) {
        return new MySqlRunnerLock(Checks.notNull("data source", dataSource));
    }

    /** {@code Threads_running} of {@code dataSource} and the lag of every configured replica. */
    @Override
    public List<HealthSignal> defaultHealthSignals(DataSource dataSource) {
        List<HealthSignal> signals = new ArrayList<>();
        signals.add(MySqlHealthSignals.threadsRunning(dataSource, settings));
        replicas.forEach(r -> signals.add(MySqlHealthSignals.replicaLag(r, settings)));
        return signals;
    }

    /** The optimizer's row estimate ({@code EXPLAIN}), never a scan; 0 when unknown. */
    @Override
    public long estimateRows(Connection connection, Name table) throws SQLException {
        String sql = ServerDialect.using(sqlDialect()).render(DSL.query("explain select 1 from {0}", DSL.table(table)));
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? Math.max(0, rs.getLong("rows")) : 0;
        }
    }

    /**
     * Sets the user variable {@code @flagway_session} to {@code label}; diagnostics show it where the
     * performance schema exposes user variables.
     */
    @Override
    public void tagSession(Connection connection, String label) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SET @" + MySqlLockDiagnostics.LABEL_VARIABLE + " = ?")) {
            s.setString(1, label);
            s.execute();
        }
    }

    /**
     * {@link #tagSession Tags the session} and returns a connection whose every statement starts with
     * the comment {@code /* label *}{@code /}, so that the label shows in {@code SHOW PROCESSLIST}
     * also without the performance schema (lock diagnostics read it from there too).
     */
    @Override
    public Connection labelled(Connection connection, String label) throws SQLException {
        tagSession(connection, label);
        return LabelledConnection.of(connection, label);
    }

    /**
     * Does nothing: MySQL and MariaDB can only limit statement time for the whole session
     * ({@code max_execution_time}, {@code max_statement_time}), which would outlive the verifier's
     * transaction on a pooled connection and kill the application's later queries. The verifier's
     * keyset chunks are bounded by their size instead.
     */
    @Override
    public void limitStatementTime(Connection connection, Duration timeout) {
        // deliberately no session-wide limit: see the Javadoc
    }

    @Override
    public String toString() {
        return "MySqlDialect{" + server + ", " + settings + ", replicas=" + replicas.size() + '}';
    }

    /** Builds a {@link MySqlDialect}. */
    public static final class Builder {
        private final DataSource dataSource;
        private MySqlSettings settings = MySqlSettings.ofDefaults();
        private List<DataSource> replicas = List.of();

        private Builder(DataSource dataSource) {
            this.dataSource = Checks.notNull("data source", dataSource);
        }

        /** The dialect's settings; {@link MySqlSettings#ofDefaults()} by default. */
        public Builder settings(MySqlSettings value) {
            this.settings = Checks.notNull("mysql settings", value);
            return this;
        }

        /** Replicas whose lag the backfill watches by default; none by default. */
        public Builder replicas(List<DataSource> value) {
            Checks.notNull("replicas", value).forEach(r -> Checks.notNull("replica data source", r));
            this.replicas = List.copyOf(value);
            return this;
        }

        /**
         * Detects the server and builds the dialect.
         *
         * @throws UnsupportedServerException when the server is not MySQL 8.0+ or MariaDB 10.6+
         * @throws IllegalStateException when the server cannot be reached
         */
        public MySqlDialect build() {
            try (Connection c = dataSource.getConnection()) {
                return new MySqlDialect(this, MySqlServer.detect(c));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot detect the MySQL/MariaDB server: " + e.getMessage(), e);
            }
        }
    }
}
