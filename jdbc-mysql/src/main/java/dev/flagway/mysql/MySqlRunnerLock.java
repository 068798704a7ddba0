package dev.flagway.mysql;

import dev.flagway.dialect.RunnerLock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet-wide single-runner lock of a migration: a named user lock ({@code GET_LOCK(name, 0)})
 * held by a connection of its own for as long as the lease is open. The server releases it when that
 * connection ends, so a crashed runner never blocks the next one. User locks are server-wide, so the
 * name carries the connection's database: the same migration id in another database of the same
 * server is another migration.
 */
final class MySqlRunnerLock implements RunnerLock {
    private static final Logger LOG = LoggerFactory.getLogger(MySqlRunnerLock.class);
    private static final String PREFIX = "flagway:";
    /** The longest user-lock name MySQL and MariaDB accept. */
    private static final int MAX_NAME = 64;

    private final DataSource dataSource;

    MySqlRunnerLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<Lease> tryAcquire(String migrationId) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            String name = lockName(currentDatabase(c), migrationId);
            try (PreparedStatement s = c.prepareStatement("SELECT GET_LOCK(?, 0)")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getInt(1) == 1) {
                        return Optional.of(new MySqlLease(c, name));
                    }
                }
            }
            c.close();
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * The user-lock name of a migration in a database: {@code flagway:<database>:<id>} (without a
     * database, {@code flagway:<id>}), or when that is too long for the server's 64 characters, a
     * prefix of it and the SHA-1 of database and id.
     */
    static String lockName(String database, String migrationId) {
        String scoped = database == null || database.isEmpty() ? migrationId : database + ":" + migrationId;
        String plain = PREFIX + scoped;
        if (plain.length() <= MAX_NAME) {
            return plain;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(scoped.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(digest);
            return plain.substring(0, MAX_NAME - hash.length() - 1) + ":" + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    private static String currentDatabase(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT DATABASE()"); ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** A held user lock and the connection that holds it. */
    private static final class MySqlLease implements Lease {
        private final Connection connection;
        private final String name;
        private volatile boolean open = true;

        MySqlLease(Connection connection, String name) {
            this.connection = connection;
            this.name = name;
        }

        /** Asks the server whether this connection still holds the lock (false once the connection is lost). */
        @Override
        public boolean isHeld() {
            if (!open) {
                return false;
            }
            try (PreparedStatement s = connection.prepareStatement("SELECT IS_USED_LOCK(?) = CONNECTION_ID()")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            } catch (SQLException e) {
                LOG.warn("Runner lock {} is lost: {}", name, e.getMessage());
                return false;
            }
        }

        @Override
        public void close() {
            if (!open) {
                return;
            }
            open = false;
            try (PreparedStatement s = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                s.setString(1, name);
                s.execute();
            } catch (SQLException e) {
                LOG.debug("releasing runner lock {} failed (closing its connection releases it): {}", name, e.toString());
            } finally {
                try {
                    connection.close();
                } catch (SQLException e) {
                    LOG.debug("closing the connection of runner lock {} failed: {}", name, e.toString());
                }
            }
        }
    }
}
