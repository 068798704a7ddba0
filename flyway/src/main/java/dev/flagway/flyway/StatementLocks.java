package dev.flagway.flyway;

import dev.flagway.dialect.Dialect;
import dev.flagway.dialect.SessionInfo;
import dev.flagway.internal.Durations;
import dev.flagway.schema.Backoff;
import dev.flagway.schema.DdlSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.jooq.SQLDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives one statement of a plain SQL migration bounded retries on lock timeout, before Flyway runs
 * it.
 * <ul>
 *   <li>PostgreSQL, in the migration's transaction: takes the lock the statement will take
 *       ({@code LOCK TABLE t IN ACCESS EXCLUSIVE MODE} before {@code ALTER TABLE t}) under the lock
 *       timeout, inside a savepoint; on a lock timeout it rolls back to the savepoint, logs who
 *       holds the table, backs off and tries again. Once it has the lock, the statement runs without
 *       waiting, and the lock is held until the migration commits, as the statement would hold it.</li>
 *   <li>MySQL and MariaDB, where every DDL statement commits on its own: waits, in attempts with
 *       backoff, until no other session holds a lock on the table, then lets the statement run under
 *       the lock wait timeout. A session that takes the table between the check and the statement
 *       still makes the statement time out, and the migration fails.</li>
 * </ul>
 */
final class StatementLocks {
    private static final Logger LOG = LoggerFactory.getLogger(StatementLocks.class);

    private final DdlSettings settings;
    private final Backoff backoff;

    StatementLocks(DdlSettings settings) {
        this.settings = settings;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    }

    void beforeStatement(Connection migration, DataSource dataSource, Dialect dialect, String script, String sql)
            throws SQLException {
        StatementTarget target = StatementTarget.of(sql).orElse(null);
        if (target == null) {
            return;
        }
        if (dialect.sqlDialect().family() == SQLDialect.POSTGRES) {
            if (!migration.getAutoCommit() && target.postgresLockMode().isPresent()) {
                lockFirst(migration, dataSource, dialect, script, target);
            }
        } else {
            waitUntilFree(migration, dataSource, dialect, script, target);
        }
    }

    private void lockFirst(Connection migration, DataSource dataSource, Dialect dialect, String script,
            StatementTarget target) throws SQLException {
        String lock = "LOCK TABLE " + target.written() + " IN " + target.postgresLockMode().get() + " MODE";
        for (int attempt = 1; ; attempt++) {
            Savepoint savepoint = migration.setSavepoint();
            try (Statement s = migration.createStatement()) {
                s.execute(lock);
                migration.releaseSavepoint(savepoint);
                return;
            } catch (SQLException e) {
                migration.rollback(savepoint);
                if (!dialect.isLockTimeout(e)) {
                    throw e;
                }
                retryOrGiveUp(attempt, dataSource, dialect, script, target, List.of());
            }
        }
    }

    private void waitUntilFree(Connection migration, DataSource dataSource, Dialect dialect, String script,
            StatementTarget target) throws SQLException {
        long own = connectionId(migration);
        for (int attempt = 1; ; attempt++) {
            List<SessionInfo> holders;
            try (Connection c = dataSource.getConnection()) {
                holders = dialect.lockHolders(c, target.table()).stream().filter(h -> h.id() != own).toList();
            }
            if (holders.isEmpty()) {
                return;
            }
            retryOrGiveUp(attempt, dataSource, dialect, script, target, holders);
        }
    }

    private void retryOrGiveUp(int attempt, DataSource dataSource, Dialect dialect, String script,
            StatementTarget target, List<SessionInfo> knownHolders) {
        List<SessionInfo> holders = knownHolders.isEmpty() ? holders(dataSource, dialect, target) : knownHolders;
        String blockers = holders.isEmpty() ? "no session found" : holders.stream().map(SessionInfo::summary)
                .collect(Collectors.joining("; "));
        Duration timeout = settings.lockTimeout();
        if (attempt >= settings.maxAttempts()) {
            throw new FlywayException(script + ": table " + target.table() + " stayed locked by other sessions on all "
                    + attempt + " attempts (lock timeout " + Durations.format(timeout) + " each); blocked by "
                    + blockers + ". Nothing of the statement ran; end the blocking transactions or raise"
                    + " the attempts, then migrate again");
        }
        Duration delay = backoff.delay(attempt);
        LOG.warn("{}: table {} is locked by another session (attempt {}/{}, lock timeout {}); blocked by {};"
                + " retrying in {} ms", script, target.table(), attempt, settings.maxAttempts(),
                Durations.format(timeout), blockers, delay.toMillis());
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlywayException(script + ": interrupted while backing off before taking the lock of "
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

    private static long connectionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
