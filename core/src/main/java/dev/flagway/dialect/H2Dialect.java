package dev.flagway.dialect;

import dev.flagway.internal.ServerDialect;
import dev.flagway.schema.DdlMode;
import dev.flagway.schema.DdlQueries;
import dev.flagway.schema.DdlStatement;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.schema.SessionInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.conf.ParamType;
import org.jooq.impl.DSL;

/**
 * H2, for tests of applications and of the engine itself. H2 has no online DDL, no replication
 * signals and no fleet: DDL runs as plain statements under H2's lock timeout, the single-runner
 * lock is in-process (per dialect instance), and lock diagnostics return nothing.
 */
public final class H2Dialect implements Dialect {
    private static final String DUPLICATE_CONSTRAINT = "90045";
    private static final int LOCK_TIMEOUT_CODE = 50200;

    private final DSLContext dsl = ServerDialect.using(SQLDialect.H2);
    private final Set<String> runners = ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public SQLDialect sqlDialect() {
        return SQLDialect.H2;
    }

    /** Each operation as the one plain statement H2 runs for it. */
    private final SchemaOperation.Visitor<Query, RuntimeException> queries = new SchemaOperation.Visitor<>() {
        @Override
        public Query addColumn(SchemaOperation.AddColumn op) {
            return DdlQueries.addColumn(dsl, op);
        }

        @Override
        public Query createIndex(SchemaOperation.CreateIndex op) {
            return DdlQueries.createIndex(dsl, op);
        }

        @Override
        public Query addCheck(SchemaOperation.AddCheck op) {
            return DdlQueries.addCheck(dsl, op);
        }

        @Override
        public Query addForeignKey(SchemaOperation.AddForeignKey op) {
            return DdlQueries.addForeignKey(dsl, op);
        }

        @Override
        public Query setNotNull(SchemaOperation.SetNotNull op) {
            return DdlQueries.setNotNull(dsl, op.table(), op.column());
        }

        @Override
        public Query dropNotNull(SchemaOperation.DropNotNull op) {
            return DdlQueries.dropNotNull(dsl, op);
        }

        @Override
        public Query dropColumn(SchemaOperation.DropColumn op) {
            return DdlQueries.dropColumn(dsl, op);
        }

        @Override
        public Query dropIndex(SchemaOperation.DropIndex op) {
            return DdlQueries.dropIndex(dsl, op);
        }

        @Override
        public Query dropConstraint(SchemaOperation.DropConstraint op) {
            return DdlQueries.dropConstraint(dsl, op.table(), op.constraint());
        }

        @Override
        public Query changeColumnType(SchemaOperation.ChangeColumnType op) {
            return DdlQueries.changeColumnType(dsl, op);
        }

        @Override
        public Query renameColumn(SchemaOperation.RenameColumn op) {
            return DdlQueries.renameColumn(dsl, op);
        }
    };

    @Override
    public List<DdlStatement> plan(SchemaOperation operation) {
        Query query = operation.accept(queries);
        return List.of(DdlStatement.of(operation, query.getSQL(ParamType.INLINED), DdlMode.QUICK)
                .alreadyAppliedOn(DUPLICATE_CONSTRAINT));
    }

    @Override
    public void applyTimeouts(Connection connection, DdlMode mode, Duration lockTimeout, Duration statementTimeout)
            throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(dsl.query("set lock_timeout {0}", DSL.inline(lockTimeout.toMillis())).getSQL());
        }
    }

    @Override
    public void resetTimeouts(Connection connection) {
        // H2 keeps nothing worth restoring: test connections are not pooled
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        return e.getErrorCode() == LOCK_TIMEOUT_CODE;
    }

    @Override
    public List<SessionInfo> lockHolders(Connection connection, Name table) {
        return List.of();
    }

    @Override
    public List<LockWait> lockWaits(Connection connection) {
        return List.of();
    }

    /** H2's sessions and table locks from {@code INFORMATION_SCHEMA}; enough for a test database. */
    @Override
    public List<DiagnosticQuery> diagnosticQueries(Name table) {
        String name = DiagnosticQuery.literal(table.last());
        return List.of(
                new DiagnosticQuery("sessions holding or waiting for locks on the table",
                        "SELECT l.SESSION_ID, l.LOCK_TYPE, s.BLOCKER_ID, s.EXECUTING_STATEMENT FROM INFORMATION_SCHEMA.LOCKS l"
                                + " JOIN INFORMATION_SCHEMA.SESSIONS s ON s.SESSION_ID = l.SESSION_ID"
                                + " WHERE LOWER(l.TABLE_NAME) = LOWER(" + name + ")"),
                new DiagnosticQuery("sessions waiting for a lock, with their blocker",
                        "SELECT SESSION_ID, BLOCKER_ID, EXECUTING_STATEMENT_START, EXECUTING_STATEMENT"
                                + " FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL"),
                new DiagnosticQuery("sessions with uncommitted changes (long transactions)",
                        "SELECT SESSION_ID, SESSION_START, EXECUTING_STATEMENT FROM INFORMATION_SCHEMA.SESSIONS"
                                + " WHERE CONTAINS_UNCOMMITTED ORDER BY SESSION_START"));
    }

    @Override
    public RunnerLock runnerLock(DataSource dataSource) {
        return migrationId -> runners.add(migrationId) ? Optional.of(new RunnerLock.Lease() {
            private volatile boolean held = true;

            @Override
            public boolean isHeld() {
                return held;
            }

            @Override
            public void close() {
                if (held) {
                    held = false;
                    runners.remove(migrationId);
                }
            }
        }) : Optional.empty();
    }

    @Override
    public List<HealthSignal> defaultHealthSignals(DataSource dataSource) {
        return List.of();
    }

    @Override
    public long estimateRows(Connection connection, Name table) {
        return ServerDialect.using(connection, SQLDialect.H2).fetchCount(DSL.table(table));
    }

    @Override
    public void tagSession(Connection connection, String label) {
        // H2 sessions carry no label
    }

    @Override
    public void limitStatementTime(Connection connection, Duration timeout) {
        // test databases are small
    }
}
