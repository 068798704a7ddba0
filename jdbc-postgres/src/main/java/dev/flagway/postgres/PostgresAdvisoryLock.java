package dev.flagway.postgres;

import dev.flagway.dialect.RunnerLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-runner lock on PostgreSQL: a session-level {@code pg_try_advisory_lock} keyed by
 * {@code hashtextextended('flagway:' || migration id, 0)}, held on a connection of its own for as
 * long as the lease is open. If that connection dies the server releases the lock, and
 * {@link Lease#isHeld()} turns false.
 */
final class PostgresAdvisoryLock implements RunnerLock {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresAdvisoryLock.class);

    private final DataSource dataSource;

    PostgresAdvisoryLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<Lease> tryAcquire(String migrationId) throws SQLException {
        String key = "flagway:" + migrationId;
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement(
                    "select pg_try_advisory_lock(hashtextextended(?, 0)), set_config('application_name', ?, false)")) {
                s.setString(1, key);
                s.setString(2, "flagway-runner-lock:" + migrationId);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return Optional.of(new AdvisoryLease(c, key));
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        c.close();
        return Optional.empty();
    }

    /** A held advisory lock and its connection. */
    private static final class AdvisoryLease implements Lease {
        private final Connection connection;
        private final String key;

        AdvisoryLease(Connection connection, String key) {
            this.connection = connection;
            this.key = key;
        }

        @Override
        public boolean isHeld() {
            try {
                return connection.isValid(2);
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        public void close() {
            try (Connection c = connection;
                 PreparedStatement s = c.prepareStatement("select pg_advisory_unlock(hashtextextended(?, 0))")) {
                s.setString(1, key);
                s.execute();
            } catch (SQLException e) {
                LOG.debug("releasing advisory lock {} failed (closing its connection releases it): {}", key, e.toString());
            }
        }
    }
}
