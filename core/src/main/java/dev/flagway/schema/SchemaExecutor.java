package dev.flagway.schema;

import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs schema operations lock-safely: lints them, asks the {@link DdlDialect} for its lock-safe plan,
 * and runs every statement under a lock timeout and a statement timeout, retrying on lock timeout
 * only, with exponential backoff and jitter, up to {@link DdlSettings#maxAttempts()} attempts. Each
 * timeout is logged once at WARN with the sessions that hold the table.
 *
 * <pre>{@code
 * SchemaExecutor ddl = new SchemaExecutor(dataSource, new PostgresDialect(), DdlSettings.ofDefaults());
 * System.out.println(ddl.script(expand));   // dry run
 * ddl.apply(expand);
 * }</pre>
 */
public final class SchemaExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaExecutor.class);

    private final DataSource dataSource;
    private final DdlDialect dialect;
    private final DdlSettings settings;
    private final SchemaLinter linter;
    private final Backoff backoff;

    /** An executor over {@code dataSource} (connections are taken per statement). */
    public SchemaExecutor(DataSource dataSource, DdlDialect dialect, DdlSettings settings) {
        this.dataSource = Checks.notNull("data source", dataSource);
        this.dialect = Checks.notNull("dialect", dialect);
        this.settings = Checks.notNull("ddl settings", settings);
        this.linter = new SchemaLinter(dialect);
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    }

    /** The lock-safe statements for {@code operations}, in order, without running anything. */
    public List<DdlStatement> plan(List<SchemaOperation> operations) {
        List<DdlStatement> plan = new ArrayList<>();
        operations.forEach(op -> plan.addAll(dialect.plan(op)));
        return plan;
    }

    /** The dry-run script: every statement with its transaction, timeouts and guard as comments. */
    public String script(List<SchemaOperation> operations) {
        StringBuilder s = new StringBuilder();
        for (DdlStatement statement : plan(operations)) {
            s.append("-- ").append(statement.operation().describe()).append(": ").append(profile(statement.mode()))
                    .append('\n');
            if (!statement.guard().describe().isEmpty()) {
                s.append("-- before each attempt: ").append(statement.guard().describe()).append('\n');
            }
            s.append(statement.sql()).append(";\n");
        }
        return s.toString();
    }

    /**
     * Lints and runs the operations in order.
     *
     * @param overrides explicit permissions for requests the linter would refuse (logged at WARN)
     * @return one outcome per statement
     * @throws UnsafeOperationException before anything runs, when a request is unsafe
     * @throws LockTimeoutExhaustedException when a statement timed out on every attempt
     * @throws DdlException when a statement failed otherwise
     */
    public List<StatementOutcome> apply(List<SchemaOperation> operations, LintOverride... overrides) {
        linter.requireSafe(operations, Arrays.asList(overrides));
        List<StatementOutcome> outcomes = new ArrayList<>();
        for (DdlStatement statement : plan(operations)) {
            outcomes.add(run(statement));
        }
        return outcomes;
    }

    private StatementOutcome run(DdlStatement statement) {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                boolean alreadyApplied = attempt(statement);
                return new StatementOutcome(statement, attempt, Duration.ofNanos(System.nanoTime() - started),
                        alreadyApplied);
            } catch (SQLException e) {
                if (!dialect.isLockTimeout(e)) {
                    throw new DdlException(statement.operation().describe() + " failed; statement: " + statement.sql(), e);
                }
                List<SessionInfo> blockers = blockers(statement);
                if (attempt >= settings.maxAttempts()) {
                    throw new LockTimeoutExhaustedException(statement, attempt, blockers, e);
                }
                Duration delay = backoff.delay(attempt);
                LOG.warn("{} timed out waiting {} for its lock (attempt {}/{}); blocked by {}; retrying in {} ms",
                        statement.operation().describe(), Durations.format(settings.lockTimeout(statement.mode())),
                        attempt, settings.maxAttempts(), LockTimeoutExhaustedException.describe(blockers),
                        delay.toMillis());
                sleep(delay);
            }
        }
    }

    /** One attempt; returns whether the change was already there. */
    private boolean attempt(DdlStatement statement) throws SQLException {
        boolean online = statement.mode() == DdlMode.ONLINE;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(online);
            try {
                Duration lockTimeout = settings.lockTimeout(statement.mode());
                dialect.applyTimeouts(c, statement.mode(), lockTimeout, settings.statementTimeout(statement.mode()));
                statement.guard().beforeAttempt(c);
                dialect.executeDdl(c, statement.sql(), lockTimeout);
                if (!online) {
                    c.commit();
                }
                return false;
            } catch (SQLException e) {
                if (!online) {
                    rollbackQuietly(c, e);
                }
                if (e.getSQLState() != null && statement.alreadyAppliedStates().contains(e.getSQLState())) {
                    LOG.info("{} was already applied ({})", statement.operation().describe(), e.getMessage());
                    return true;
                }
                throw e;
            } finally {
                restore(c, online);
            }
        }
    }

    private void restore(Connection c, boolean online) {
        try {
            if (online) {
                dialect.resetTimeouts(c);
            } else {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LOG.debug("could not restore the DDL connection's settings: {}", e.toString());
        }
    }

    private List<SessionInfo> blockers(DdlStatement statement) {
        try (Connection c = dataSource.getConnection()) {
            return dialect.lockHolders(c, statement.operation().table());
        } catch (SQLException e) {
            LOG.debug("lock diagnostics failed: {}", e.toString());
            return List.of();
        }
    }

    private static void rollbackQuietly(Connection c, SQLException cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DdlException("interrupted while backing off before retrying DDL");
        }
    }

    private String profile(DdlMode mode) {
        String lock = "lock timeout " + Durations.format(settings.lockTimeout(mode));
        String run = "statement timeout " + Durations.format(settings.statementTimeout(mode));
        switch (mode) {
            case ONLINE:
                return "outside a transaction, " + lock + ", " + run;
            case VALIDATE:
                return "own transaction, " + lock + ", " + run;
            default:
                return "short transaction, " + lock + ", " + run;
        }
    }
}
