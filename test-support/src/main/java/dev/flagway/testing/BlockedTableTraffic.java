package dev.flagway.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * Two background sessions on one table: a long transaction that holds it (it read the table and
 * stays open until {@code hold} after the first DDL statement was seen waiting for the table, so that a
 * slow start of the migration tool cannot let the DDL miss the transaction), and application traffic (single-row updates in autocommit, one
 * after another, on a table with an {@code int} key {@code id} from 1 to 200 and a text column
 * {@code email}) whose slowest update is the stall a migration caused. Starts both in its
 * constructor, once the long transaction holds the table and the traffic has made its first update.
 */
public final class BlockedTableTraffic implements AutoCloseable {
    private final AtomicLong maxStallNanos = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch flowing = new CountDownLatch(1);
    private volatile boolean running = true;
    private final Thread holder;
    private final Thread traffic;

    public BlockedTableTraffic(DataSource dataSource, String table, Duration hold) {
        holder = new Thread(() -> hold(dataSource, table, hold), "long-transaction");
        traffic = new Thread(() -> traffic(dataSource, table), "traffic");
        holder.start();
        traffic.start();
        try {
            holding.await();
            flowing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void hold(DataSource dataSource, String table, Duration hold) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeQuery("select count(*) from " + table).close();
            }
            holding.countDown();
            awaitDdlWaitingFor(dataSource, table);
            Thread.sleep(hold.toMillis());
            c.commit();
        } catch (SQLException | InterruptedException e) {
            failure.compareAndSet(null, e);
            holding.countDown();
        }
    }

    /** Polls until a session's DDL on {@code table} waits for a lock, for at most 30 s. */
    private static void awaitDdlWaitingFor(DataSource dataSource, String table) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection c = dataSource.getConnection()) {
            boolean postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
            String sql = postgres
                    ? "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and pid <> pg_backend_pid()"
                    + " and lower(query) like ? and (lower(query) like '%alter table%' or lower(query) like '%index%')"
                    : "select count(*) from information_schema.processlist where state like 'Waiting for%lock%'"
                    + " and lower(info) like ? and (lower(info) like '%alter table%' or lower(info) like '%index%')";
            try (PreparedStatement waiting = c.prepareStatement(sql)) {
                waiting.setString(1, "%" + table.toLowerCase(Locale.ROOT) + "%");
                while (System.nanoTime() < deadline) {
                    try (ResultSet r = waiting.executeQuery()) {
                        if (r.next() && r.getLong(1) > 0) {
                            return;
                        }
                    }
                    Thread.sleep(10);
                }
            }
        }
    }

    private void traffic(DataSource dataSource, String table) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("update " + table + " set email = ? where id = ?")) {
            for (int i = 0; running; i++) {
                s.setString(1, " User" + (i % 200 + 1) + "@Example.com ");
                s.setInt(2, i % 200 + 1);
                long started = System.nanoTime();
                s.executeUpdate();
                maxStallNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
                updates.incrementAndGet();
                flowing.countDown();
                Thread.sleep(5);
            }
        } catch (SQLException | InterruptedException e) {
            failure.compareAndSet(null, e);
            flowing.countDown();
        }
    }

    /** The slowest update so far: how long the traffic stalled. */
    public Duration maxStall() {
        return Duration.ofNanos(maxStallNanos.get());
    }

    /** How many updates ran so far. */
    public long updates() {
        return updates.get();
    }

    /** Waits for the long transaction to end and stops the traffic; rethrows what either failed with. */
    @Override
    public void close() {
        try {
            holder.join();
            running = false;
            traffic.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the background sessions", e);
        }
        if (failure.get() != null) {
            throw new AssertionError("background session failed", failure.get());
        }
    }
}
