package dev.flagway.bench.db;

import dev.flagway.bench.jmh.EmailRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Plain JDBC, one statement per call, a connection from the (transaction-aware) data source each
 * time: the repository an application already has (legacy) and the one it writes for the new
 * column (modern). Either can be told to fail a share of its reads or writes the way a bad deploy
 * would: it then sends a statement naming a column that does not exist, so the error is the
 * server's (and on PostgreSQL it aborts the transaction it runs in).
 */
public final class JdbcEmailRepository implements EmailRepository {
    private final DataSource dataSource;
    private final boolean modern;
    private final String readSql;
    private final String failingReadSql;
    private final String writeSql;
    private final String failingWriteSql;
    private volatile double readErrorRate;
    private volatile double writeErrorRate;
    private final AtomicLong injectedFailures = new AtomicLong();
    private final AtomicLong injectedWriteFailures = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();

    private JdbcEmailRepository(DataSource dataSource, String table, boolean modern) {
        this.dataSource = dataSource;
        this.modern = modern;
        String column = modern ? "email_normalized" : "email";
        this.readSql = "select " + column + " from " + table + " where id = ?";
        this.failingReadSql = "select no_such_column from " + table + " where id = ?";
        this.writeSql = "update " + table + " set " + column + " = ? where id = ?";
        this.failingWriteSql = "update " + table + " set no_such_column = ? where id = ?";
    }

    /** The legacy column's repository. */
    public static JdbcEmailRepository legacy(DataSource dataSource, String table) {
        return new JdbcEmailRepository(dataSource, table, false);
    }

    /** The new column's repository. */
    public static JdbcEmailRepository modern(DataSource dataSource, String table) {
        return new JdbcEmailRepository(dataSource, table, true);
    }

    /** Makes this share of later reads fail with a server error (0 to heal). */
    public void failReads(double share) {
        this.readErrorRate = share;
    }

    /** Makes this share of later writes fail with a server error (0 to heal). */
    public void failWrites(double share) {
        this.writeErrorRate = share;
    }

    /** Writes that were made to fail so far. */
    public long injectedWriteFailures() {
        return injectedWriteFailures.get();
    }

    /** Reads that were made to fail so far. */
    public long injectedFailures() {
        return injectedFailures.get();
    }

    /** Reads so far, failed or not. */
    public long reads() {
        return reads.get();
    }

    @Override
    public String email(long id) {
        reads.incrementAndGet();
        boolean fail = draw(readErrorRate, injectedFailures);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(fail ? failingReadSql : readSql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String value = rs.getString(1);
                return modern || value == null ? value : value.toLowerCase(Locale.ROOT);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading row " + id + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void updateEmail(long id, String email) {
        boolean fail = draw(writeErrorRate, injectedWriteFailures);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(fail ? failingWriteSql : writeSql)) {
            ps.setString(1, modern ? email.toLowerCase(Locale.ROOT) : email);
            ps.setLong(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("writing row " + id + " failed: " + e.getMessage(), e);
        }
    }

    private static boolean draw(double errorRate, AtomicLong injected) {
        boolean fail = errorRate > 0 && ThreadLocalRandom.current().nextDouble() < errorRate;
        if (fail) {
            injected.incrementAndGet();
        }
        return fail;
    }
}
