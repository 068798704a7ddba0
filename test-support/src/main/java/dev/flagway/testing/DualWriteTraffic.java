package dev.flagway.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * Application threads in stage DUAL_WRITE beside a backfill, on a users table with {@code id},
 * {@code email} and {@code email_normalized} (the address trimmed and lower-cased): each write is
 * one transaction that updates both columns of a random row, or inserts a new row with both, or —
 * every tenth write — fails its modern part: only the legacy column is written and the key recorded
 * for repair in the same transaction. A writer that dies is not lost: {@link #stop()} fails with its
 * error.
 */
public final class DualWriteTraffic implements AutoCloseable {
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong inserted = new AtomicLong();
    private final AtomicLong repairsRecorded = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong nextId;
    private final long rows;
    private final List<Thread> threads = new ArrayList<>();

    /**
     * The statements a writer runs, with their {@code ?} parameters in this order.
     *
     * @param updateBoth {@code email}, {@code email_normalized}, {@code id}
     * @param updateLegacy {@code email}, {@code id}
     * @param insert {@code id}, {@code email}, {@code email_normalized}
     * @param recordRepair the migration id and the row key (text), into the repair table; must
     *     tolerate an entry that is already there
     */
    public record Statements(String updateBoth, String updateLegacy, String insert, String recordRepair) {
    }

    private DualWriteTraffic(long rows) {
        this.rows = rows;
        this.nextId = new AtomicLong(rows);
    }

    /**
     * Starts {@code threads} writers over rows 1 to {@code rows}; new rows get the ids after it.
     *
     * @param migrationId recorded with each simulated failed modern write
     */
    public static DualWriteTraffic start(DataSource dataSource, Statements sql, String migrationId, long rows,
                                         int threads) {
        DualWriteTraffic traffic = new DualWriteTraffic(rows);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> traffic.loop(dataSource, sql, migrationId), "dual-writer-" + i);
            t.setDaemon(true);
            traffic.threads.add(t);
            t.start();
        }
        return traffic;
    }

    /** Writes committed so far. */
    public long writes() {
        return writes.get();
    }

    /** Rows inserted so far. */
    public long inserted() {
        return inserted.get();
    }

    /** Failed modern writes recorded for repair so far. */
    public long repairsRecorded() {
        return repairsRecorded.get();
    }

    /**
     * Stops the writers and waits for them.
     *
     * @throws AssertionError when a writer died, with its error, or did not stop within 30 seconds
     */
    public void stop() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while stopping the writers", e);
            }
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not stop within 30 s");
            }
        }
        Throwable died = failure.get();
        if (died != null) {
            throw new AssertionError("a dual writer died after " + writes.get() + " writes: " + died, died);
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private void loop(DataSource dataSource, Statements sql, String migrationId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement both = c.prepareStatement(sql.updateBoth());
             PreparedStatement legacyOnly = c.prepareStatement(sql.updateLegacy());
             PreparedStatement recordRepair = c.prepareStatement(sql.recordRepair());
             PreparedStatement insert = c.prepareStatement(sql.insert())) {
            c.setAutoCommit(false);
            while (running.get()) {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                String email = " Changed" + r.nextInt(1_000_000) + "@Example.COM";
                String normalized = email.trim().toLowerCase(Locale.ROOT);
                long id = 1 + r.nextLong(rows);
                int choice = r.nextInt(10);
                if (choice == 0) {
                    legacyOnly.setString(1, email);
                    legacyOnly.setLong(2, id);
                    legacyOnly.executeUpdate();
                    recordRepair.setString(1, migrationId);
                    recordRepair.setString(2, Long.toString(id));
                    recordRepair.executeUpdate();
                    repairsRecorded.incrementAndGet();
                } else if (choice == 1) {
                    insert.setLong(1, nextId.incrementAndGet());
                    insert.setString(2, email);
                    insert.setString(3, normalized);
                    insert.executeUpdate();
                    inserted.incrementAndGet();
                } else {
                    both.setString(1, email);
                    both.setString(2, normalized);
                    both.setLong(3, id);
                    both.executeUpdate();
                }
                c.commit();
                writes.incrementAndGet();
                Thread.sleep(2);
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }
}
