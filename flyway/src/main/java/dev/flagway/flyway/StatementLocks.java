package dev.flagway.flyway;

import dev.flagway.dialect.Dialect;
import dev.flagway.schema.SessionInfo;
import dev.flagway.internal.Durations;
import dev.flagway.schema.Backoff;
import dev.flagway.schema.DdlSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.ErrorDetails;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.exception.FlywayBlockStatementExecutionException;
import org.jooq.SQLDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one DDL statement of a plain SQL migration ({@code ALTER TABLE}, {@code CREATE INDEX}) in
 * Flyway's place, on Flyway's migration connection, with bounded retries on lock timeout, then tells
 * Flyway to skip it ({@link FlywayBlockStatementExecutionException}, Flyway's own way for a callback
 * to take a statement over). Each attempt runs through the dialect's {@link Dialect#executeDdl}
 * under the lock timeout: PostgreSQL's {@code lock_timeout}; on MySQL and MariaDB
 * {@code lock_wait_timeout} plus the watchdog that cancels a statement still waiting for its
 * metadata lock after a budget that is not a whole number of seconds. A statement that timed out
 * changed nothing: on PostgreSQL inside the migration's transaction it runs in a savepoint that is
 * rolled back; elsewhere it simply failed. Before each retry the sessions holding the table are
 * logged. {@code CREATE INDEX CONCURRENTLY} is left to Flyway (a timed-out one leaves an invalid
 * index behind), under the lock timeout alone.
 */
final class StatementLocks {
    private static final Logger LOG = LoggerFactory.getLogger(StatementLocks.class);

    private final DdlSettings settings;
    private final Backoff backoff;

    StatementLocks(DdlSettings settings) {
        this.settings = settings;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    }

    /**
     * Runs {@code sql} if it is a DDL statement this takes over.
     *
     * @throws FlywayBlockStatementExecutionException when it ran it: Flyway then skips it
     * @throws FlywayException when it failed, or timed out on every attempt
     */
    void beforeStatement(Connection migration, DataSource dataSource, Dialect dialect, String script, String sql)
            throws SQLException {
        StatementTarget target = StatementTarget.of(sql).orElse(null);
        if (target == null || target.concurrently()) {
            return;
        }
        boolean savepoints = dialect.sqlDialect().family() == SQLDialect.POSTGRES && !migration.getAutoCommit();
        String statement = withoutDelimiter(sql);
        for (int attempt = 1; ; attempt++) {
            Savepoint savepoint = savepoints ? migration.setSavepoint() : null;
            try {
                dialect.executeDdl(migration, statement, settings.lockTimeout());
                if (savepoint != null) {
                    migration.releaseSavepoint(savepoint);
                }
                throw new FlywayBlockStatementExecutionException(new ErrorDetails(CoreErrorCode.ERROR,
                        "Flagway ran it"), "Flagway ran the statement with lock timeout "
                        + Durations.format(settings.lockTimeout()) + " in " + attempt + " attempt(s)");
            } catch (SQLException e) {
                if (savepoint != null) {
                    migration.rollback(savepoint);
                }
                if (!dialect.isLockTimeout(e)) {
                    throw e;
                }
                retryOrGiveUp(attempt, dataSource, dialect, script, target);
            }
        }
    }

    private void retryOrGiveUp(int attempt, DataSource dataSource, Dialect dialect, String script,
            StatementTarget target) {
        List<SessionInfo> holders = holders(dataSource, dialect, target);
        String blockers = holders.isEmpty() ? "no session found" : holders.stream().map(SessionInfo::summary)
                .collect(Collectors.joining("; "));
        Duration timeout = settings.lockTimeout();
        if (attempt >= settings.maxAttempts()) {
            throw new FlywayException(script + ": a statement on " + target.table() + " timed out waiting for its lock"
                    + " on all " + attempt + " attempts (lock timeout " + Durations.format(timeout) + " each); blocked by "
                    + blockers + ". End the blocking transactions or raise the attempts, then migrate again");
        }
        Duration delay = backoff.delay(attempt);
        LOG.warn("{}: a statement on {} timed out waiting {} for its lock (attempt {}/{}); blocked by {};"
                + " retrying in {} ms", script, target.table(), Durations.format(timeout), attempt,
                settings.maxAttempts(), blockers, delay.toMillis());
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlywayException(script + ": interrupted while backing off before retrying a statement on "
                    + target.table());
        }
    }

    private static List<SessionInfo> holders(DataSource dataSource, Dialect dialect, StatementTarget target) {
        try (Connection c = dataSource.getConnection()) {
            return dialect.lockHolders(c, target.table());
        } catch (SQLException e) {
            LOG.debug("lock diagnostics failed: {}", e.toString());
            return List.of();
        }
    }

    private static String withoutDelimiter(String sql) {
        String s = sql.strip();
        return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
    }
}
