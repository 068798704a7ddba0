package dev.flagway.dialect;

import dev.flagway.internal.ServerDialect;
import dev.flagway.schema.DdlMode;
import dev.flagway.schema.DdlQueries;
import dev.flagway.schema.DdlStatement;
import dev.flagway.schema.SchemaOperation;
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

    @Override
    public List<DdlStatement> plan(SchemaOperation operation) {
        Query query;
        if (operation instanceof SchemaOperation.AddColumn op) {
            query = DdlQueries.addColumn(dsl, op);
        } else if (operation instanceof SchemaOperation.CreateIndex op) {
            query = DdlQueries.createIndex(dsl, op);
        } else if (operation instanceof SchemaOperation.AddCheck op) {
            query = DdlQueries.addCheck(dsl, op);
        } else if (operation instanceof SchemaOperation.AddForeignKey op) {
            query = DdlQueries.addForeignKey(dsl, op);
        } else if (operation instanceof SchemaOperation.SetNotNull op) {
            query = DdlQueries.setNotNull(dsl, op.table(), op.column());
        } else if (operation instanceof SchemaOperation.DropNotNull op) {
            query = DdlQueries.dropNotNull(dsl, op);
        } else if (operation instanceof SchemaOperation.DropColumn op) {
            query = DdlQueries.dropColumn(dsl, op);
        } else if (operation instanceof SchemaOperation.DropIndex op) {
            query = DdlQueries.dropIndex(dsl, op);
        } else if (operation instanceof SchemaOperation.DropConstraint op) {
            query = DdlQueries.dropConstraint(dsl, op.table(), op.constraint());
        } else if (operation instanceof SchemaOperation.ChangeColumnType op) {
            query = DdlQueries.changeColumnType(dsl, op);
        } else {
            query = DdlQueries.renameColumn(dsl, (SchemaOperation.RenameColumn) operation);
        }
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
