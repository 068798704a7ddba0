package dev.flagway.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/** Threads that keep reading random rows of a table, each on its own connection, and record the longest query. */
final class Readers implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong maxNanos = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();

    private Readers(DataSource ds, String table, int count, int rows) {
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(() -> read(ds, table, rows), "reader-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Starts {@code count} readers of ids 1..rows. */
    static Readers start(DataSource ds, String table, int count, int rows) {
        return new Readers(ds, table, count, rows);
    }

    private void read(DataSource ds, String table, int rows) {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT v FROM `" + table + "` WHERE id = ?")) {
            while (running.get()) {
                s.setInt(1, 1 + ThreadLocalRandom.current().nextInt(rows));
                long t0 = System.nanoTime();
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                }
                maxNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                queries.incrementAndGet();
                Thread.sleep(5);
            }
        } catch (Exception e) {
            synchronized (failures) {
                failures.add(e);
            }
        }
    }

    /** The longest single query so far. */
    Duration maxStall() {
        return Duration.ofNanos(maxNanos.get());
    }

    /** How many queries completed. */
    long queries() {
        return queries.get();
    }

    /** Failures of the reader threads (none expected). */
    List<Throwable> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Stops the readers and waits for their last query. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
