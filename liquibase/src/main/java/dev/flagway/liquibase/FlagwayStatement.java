package dev.flagway.liquibase;

import dev.flagway.dialect.Dialect;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.schema.DdlStatement;
import java.sql.SQLException;
import java.util.List;
import liquibase.database.Database;
import liquibase.database.PreparedStatementFactory;
import liquibase.exception.DatabaseException;
import liquibase.statement.AbstractSqlStatement;
import liquibase.statement.ExecutablePreparedStatement;

/**
 * What a Flagway change runs on {@code update} (public only for {@link FlagwayStatementGenerator}): its
 * operations through the lock-safe executor, on
 * Liquibase's connection, or (for a contract) the gate's run.
 */
public final class FlagwayStatement extends AbstractSqlStatement implements ExecutablePreparedStatement {
    /** A run other than the executor's (the contract gate's). */
    interface Run {
        /** What it does, for {@code updateSql}'s comment. */
        String describe();

        /** Runs it. */
        void run() throws Exception;
    }

    private final Database database;
    private final List<SchemaOperation> operations;
    private final DdlSettings settings;
    private final Run run;

    FlagwayStatement(Database database, List<SchemaOperation> operations, DdlSettings settings, Run run) {
        this.database = database;
        this.operations = List.copyOf(operations);
        this.settings = settings;
        this.run = run;
    }

    @Override
    public void execute(PreparedStatementFactory factory) throws DatabaseException {
        try {
            if (run != null) {
                run.run();
                return;
            }
            SharedConnectionDataSource dataSource = FlagwayChange.dataSource(database);
            try {
                Dialect dialect = FlagwayChange.dialect(database, dataSource);
                new SchemaExecutor(dataSource, dialect, settings).apply(operations);
            } finally {
                dataSource.restore();
            }
        } catch (DatabaseException e) {
            throw e;
        } catch (Exception e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    /** The statements the executor plans for the operations (what the gate's run drops, for a contract). */
    List<String> plannedSql() throws SQLException {
        Dialect dialect = FlagwayChange.dialect(database, FlagwayChange.dataSource(database));
        return operations.stream().flatMap(op -> dialect.plan(op).stream()).map(DdlStatement::sql).toList();
    }

    @Override
    public String toString() {
        return "flagway " + operations.stream().map(SchemaOperation::describe).toList();
    }

    @Override
    public boolean skipOnUnsupported() {
        return false;
    }

}
