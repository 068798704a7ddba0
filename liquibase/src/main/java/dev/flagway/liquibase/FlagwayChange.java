package dev.flagway.liquibase;

import dev.flagway.dialect.Dialect;
import dev.flagway.internal.Durations;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.postgres.PostgresDialect;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.DdlStatement;
import dev.flagway.schema.SchemaOperation;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import liquibase.Scope;
import liquibase.change.AbstractChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.database.core.MySQLDatabase;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.exception.ValidationErrors;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.RawSqlStatement;

/**
 * The base of Flagway's Liquibase changes: the operations a change declares run through Flagway's
 * lock-safe executor on {@code update} (lock timeout, bounded retries with backoff, blockers logged,
 * {@code CONCURRENTLY} outside a transaction, NOT VALID then VALIDATE), and {@code updateSql} prints
 * exactly the statements the executor plans, each under a comment with its transaction and timeout.
 * A change commits as the executor plans it, so give it a changeset of its own.
 *
 * <p>Optional attributes: {@code lockTimeout} (e.g. {@code 2s}; on MySQL and MariaDB whole seconds,
 * rounded up) and {@code maxAttempts}.
 */
public abstract class FlagwayChange extends AbstractChange {
    private String lockTimeout;
    private Integer maxAttempts;

    /** Subclasses declare their operations. */
    protected FlagwayChange() {
    }

    /** The schema changes, in order; throws {@link IllegalArgumentException} for a bad attribute. */
    protected abstract List<SchemaOperation> operations();

    /** How long each statement may wait for its lock, e.g. {@code 2s}; the executor's default when unset. */
    @DatabaseChangeProperty(description = "How long each statement may wait for its lock, e.g. 2s or 500ms")
    public String getLockTimeout() {
        return lockTimeout;
    }

    /** Sets the lock timeout. */
    public void setLockTimeout(String lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    /** How many times a statement is tried when it times out waiting for its lock. */
    @DatabaseChangeProperty(description = "How many times a statement is tried when it times out waiting for its lock")
    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    /** Sets the attempts. */
    public void setMaxAttempts(Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** Flagway's XML namespace. */
    @Override
    public String getSerializedObjectNamespace() {
        return FlagwayNamespaceDetails.NAMESPACE;
    }

    /** True: the plan depends on the live database (MySQL's reads the table), so Liquibase must not plan it early. */
    @Override
    public boolean generateStatementsVolatile(Database database) {
        return true;
    }

    @Override
    public boolean generateRollbackStatementsVolatile(Database database) {
        return true;
    }

    /** PostgreSQL, MySQL and MariaDB. */
    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase || database instanceof MySQLDatabase;
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = super.validate(database);
        if (errors.hasErrors()) {
            return errors;
        }
        if (!supports(database)) {
            errors.addError(getSerializedObjectName() + " runs on PostgreSQL, MySQL and MariaDB, not on "
                    + database.getShortName());
            return errors;
        }
        try {
            operations();
            settings(database);
        } catch (IllegalArgumentException | IllegalStateException e) {
            errors.addError(getSerializedObjectName() + ": " + e.getMessage());
        }
        return errors;
    }

    @Override
    public SqlStatement[] generateStatements(Database database) {
        return statements(database, operations(), null);
    }

    /**
     * The statements of {@code operations}: printed ones under {@code updateSql}, else one that runs
     * them through the executor ({@code run} replaces the executor's run when given).
     */
    final SqlStatement[] statements(Database database, List<SchemaOperation> operations, FlagwayStatement.Run run) {
        DdlSettings settings = settings(database);
        if (printsSql(database)) {
            try {
                SharedConnectionDataSource dataSource = dataSource(database);
                Dialect dialect = dialect(database, dataSource);
                List<SqlStatement> printed = new ArrayList<>();
                String prefix = run == null ? "" : "-- " + run.describe() + "\n";
                for (SchemaOperation operation : operations) {
                    for (DdlStatement statement : dialect.plan(operation)) {
                        printed.add(new RawSqlStatement(prefix + "-- flagway: " + statement.operation().describe() + " ("
                                + statement.mode() + ", lock timeout "
                                + Durations.format(settings.lockTimeout(statement.mode())) + ", up to "
                                + settings.maxAttempts() + " attempts)\n" + statement.sql()));
                        prefix = "";
                    }
                }
                return printed.toArray(SqlStatement[]::new);
            } catch (SQLException e) {
                throw new UnexpectedLiquibaseException("Flagway cannot plan " + getSerializedObjectName() + ": "
                        + e.getMessage(), e);
            }
        }
        return new SqlStatement[] {new FlagwayStatement(database, operations, settings, run)};
    }

    /** The executor's settings for {@code database}, from the change's attributes. */
    final DdlSettings settings(Database database) {
        DdlSettings.Builder b = DdlSettings.custom();
        if (lockTimeout != null && !lockTimeout.isBlank()) {
            Duration timeout = Durations.parse(lockTimeout.trim());
            if (database instanceof MySQLDatabase && timeout.toMillis() % 1000 != 0) {
                // one connection only: MySQL's sub-second watchdog needs a second one, so whole seconds
                timeout = Duration.ofSeconds(timeout.toMillis() / 1000 + 1);
            }
            b.lockTimeout(timeout).onlineLockTimeout(timeout);
        }
        if (maxAttempts != null) {
            b.maxAttempts(maxAttempts);
        }
        return b.build();
    }

    static SharedConnectionDataSource dataSource(Database database) throws SQLException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            throw new SQLException("Flagway's Liquibase changes need a live JDBC connection (no offline mode)");
        }
        Connection connection = jdbc.getUnderlyingConnection();
        return new SharedConnectionDataSource(connection);
    }

    static Dialect dialect(Database database, SharedConnectionDataSource dataSource) {
        if (database instanceof PostgresDatabase) {
            return new PostgresDialect();
        }
        return MySqlDialect.detect(dataSource);
    }

    private static boolean printsSql(Database database) {
        return Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database)
                instanceof LoggingExecutor;
    }
}
