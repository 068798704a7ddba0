package dev.flagway.liquibase;

import dev.flagway.dialect.Dialect;
import dev.flagway.internal.Durations;
import dev.flagway.internal.ServerDialect;
import dev.flagway.schema.Backoff;
import dev.flagway.schema.DdlMode;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.ServerKind;
import dev.flagway.schema.SqlLintReport;
import dev.flagway.schema.SqlLinter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.core.MySQLDatabase;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.executor.jvm.JdbcExecutor;
import liquibase.sql.Sql;
import liquibase.sql.visitor.SqlVisitor;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;
import org.jooq.SQLDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liquibase's JDBC executor with Flagway's care for plain changesets (PostgreSQL, MySQL, MariaDB),
 * chosen over Liquibase's own by its priority (registered through {@code META-INF/services}):
 * <ul>
 *   <li>before a changeset runs, its SQL (as Liquibase generates it) is linted by {@link SqlLinter},
 *       with the rules, messages and {@code -- flagway:allow RULE reason} waivers of
 *       {@code flagway lint}; {@code flagway.lint=fail} fails the changeset before anything of it
 *       runs;</li>
 *   <li>each statement runs under {@code flagway.lockTimeout}; a statement that times out waiting
 *       for its lock is tried again, with backoff, up to {@code flagway.maxAttempts} times (on
 *       PostgreSQL inside a savepoint of the changeset's transaction; on MySQL and MariaDB, where a
 *       DDL statement that timed out changed nothing, as it is).</li>
 * </ul>
 * Flagway's own change types keep their executor. See {@link FlagwayLiquibaseConfiguration}.
 */
public class FlagwayJdbcExecutor extends JdbcExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(FlagwayJdbcExecutor.class);

    private ChangeSet pending;

    /** Made by Liquibase's executor service. */
    public FlagwayJdbcExecutor() {
    }

    @Override
    public int getPriority() {
        return super.getPriority() + 10;
    }

    @Override
    public boolean supports(Database database) {
        return (database instanceof PostgresDatabase || database instanceof MySQLDatabase)
                && Boolean.TRUE.equals(FlagwayLiquibaseConfiguration.ENABLED.getCurrentValue());
    }

    @Override
    public void modifyChangeSet(ChangeSet changeSet) {
        super.modifyChangeSet(changeSet);
        pending = changeSet;
    }

    /** {@code ChangeSet.execute} says "Changeset ..." right before it runs one: the moment to lint it. */
    @Override
    public void comment(String message) throws DatabaseException {
        super.comment(message);
        ChangeSet changeSet = pending;
        pending = null;
        if (changeSet != null && message != null && message.startsWith("Changeset ")) {
            lint(changeSet);
        }
    }

    @Override
    public void execute(SqlStatement sql, List<SqlVisitor> sqlVisitors) throws DatabaseException {
        if (sql instanceof FlagwayStatement || isBookkeeping(sql)) {
            super.execute(sql, sqlVisitors);
            return;
        }
        Connection c = connection();
        Dialect dialect = dialect(c);
        DdlSettings settings = settings();
        Backoff backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        boolean postgres = dialect.sqlDialect().family() == SQLDialect.POSTGRES;
        for (int attempt = 1; ; attempt++) {
            Savepoint savepoint = null;
            try {
                savepoint = postgres && !c.getAutoCommit() ? c.setSavepoint() : null;
                dialect.applyTimeouts(c, DdlMode.ONLINE, settings.lockTimeout(), settings.longStatementTimeout());
                super.execute(sql, sqlVisitors);
                if (savepoint != null) {
                    c.releaseSavepoint(savepoint);
                }
                return;
            } catch (DatabaseException | SQLException e) {
                SQLException cause = sqlCause(e);
                boolean retryable = cause != null && dialect.isLockTimeout(cause)
                        && (savepoint != null || !postgres || isAutoCommit(c));
                rollbackTo(c, savepoint);
                if (!retryable) {
                    throw e instanceof DatabaseException d ? d : new DatabaseException(e);
                }
                if (attempt >= settings.maxAttempts()) {
                    throw new DatabaseException(sql + " timed out waiting for its lock on all " + attempt
                            + " attempts (lock timeout " + Durations.format(settings.lockTimeout()) + " each)", e);
                }
                Duration delay = backoff.delay(attempt);
                LOG.warn("{} timed out waiting {} for its lock (attempt {}/{}); retrying in {} ms", describe(sql),
                        Durations.format(settings.lockTimeout()), attempt, settings.maxAttempts(), delay.toMillis());
                sleep(delay);
            } finally {
                resetQuietly(dialect, c);
            }
        }
    }

    private void lint(ChangeSet changeSet) throws DatabaseException {
        LintMode mode = LintMode.parse(FlagwayLiquibaseConfiguration.LINT.getCurrentValue());
        if (mode == LintMode.OFF) {
            return;
        }
        StringBuilder script = new StringBuilder();
        for (Change change : changeSet.getChanges()) {
            if (change instanceof FlagwayChange || change.generateStatementsVolatile(database)) {
                continue;
            }
            for (Sql sql : SqlGeneratorFactory.getInstance().generateSql(change, database)) {
                script.append(sql.toSql()).append(";\n");
            }
        }
        if (script.length() == 0) {
            return;
        }
        SqlLintReport report;
        try {
            report = SqlLinter.forServer(ServerKind.of(ServerDialect.of(connection())))
                    .lint(changeSet.toString(false), script.toString());
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
        if (report.passes()) {
            return;
        }
        if (mode == LintMode.FAIL) {
            throw new DatabaseException("Flagway lint refused changeset " + changeSet.toString(false)
                    + " before any of it ran (set flagway.lint=warn to run it anyway, or use a <sql> change with a"
                    + " comment '-- flagway:allow RULE reason' above the statement):\n" + report.render());
        }
        LOG.warn("Flagway lint found unsafe statements in changeset {}:\n{}", changeSet.toString(false),
                report.render());
    }

    private DdlSettings settings() {
        DdlSettings.Builder b = DdlSettings.custom();
        Duration timeout = Durations.parse(FlagwayLiquibaseConfiguration.LOCK_TIMEOUT.getCurrentValue().trim());
        return b.lockTimeout(timeout).onlineLockTimeout(timeout)
                .maxAttempts(FlagwayLiquibaseConfiguration.MAX_ATTEMPTS.getCurrentValue()).build();
    }

    private Connection connection() throws DatabaseException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            throw new DatabaseException("Flagway's executor needs a live JDBC connection");
        }
        return jdbc.getUnderlyingConnection();
    }

    private Dialect dialect(Connection c) throws DatabaseException {
        try {
            return FlagwayChange.dialect(database, new SharedConnectionDataSource(c));
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    private static boolean isBookkeeping(SqlStatement sql) {
        String name = sql.getClass().getSimpleName();
        return name.contains("DatabaseChangeLog") || name.contains("ChangeSetRan") || name.contains("ChangeSetChecksum");
    }

    private static boolean isAutoCommit(Connection c) {
        try {
            return c.getAutoCommit();
        } catch (SQLException e) {
            return false;
        }
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    private static void rollbackTo(Connection c, Savepoint savepoint) {
        if (savepoint == null) {
            return;
        }
        try {
            c.rollback(savepoint);
        } catch (SQLException e) {
            LOG.debug("rollback to savepoint failed: {}", e.toString());
        }
    }

    private static void resetQuietly(Dialect dialect, Connection c) {
        try {
            dialect.resetTimeouts(c);
        } catch (SQLException e) {
            LOG.debug("could not reset the timeouts: {}", e.toString());
        }
    }

    private static String describe(SqlStatement sql) {
        String text = sql.toString();
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    private static void sleep(Duration delay) throws DatabaseException {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("interrupted while backing off before retrying a statement");
        }
    }

    /** {@code flagway.lint}. */
    enum LintMode {
        FAIL, WARN, OFF;

        static LintMode parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("flagway.lint must be fail, warn or off, not '" + value + "'", e);
            }
        }
    }
}
