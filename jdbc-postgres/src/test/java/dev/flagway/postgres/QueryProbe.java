package dev.flagway.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/** Threads that keep running a query on their own connections and record the longest single query. */
final class QueryProbe implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong maxNanos = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    /** Starts {@code threads} threads running {@code sql} with one bind value, a random key in [1, maxKey]. */
    QueryProbe(DataSource dataSource, int threadCount, String sql, int maxKey) {
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(() -> loop(dataSource, sql, maxKey), "probe-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(DataSource dataSource, String sql, int maxKey) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            while (running.get()) {
                s.setLong(1, 1 + ThreadLocalRandom.current().nextInt(maxKey));
                long t0 = System.nanoTime();
                try {
                    if (s.execute()) {
                        try (ResultSet rs = s.getResultSet()) {
                            while (rs.next()) {
                                rs.getObject(1);
                            }
                        }
                    }
                    queries.incrementAndGet();
                } catch (java.sql.SQLException e) {
                    errors.incrementAndGet();
                }
                maxNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                Thread.sleep(5);
            }
        } catch (Exception e) {
            errors.incrementAndGet();
        }
    }

    long maxMillis() {
        return maxNanos.get() / 1_000_000;
    }

    long queries() {
        return queries.get();
    }

    long errors() {
        return errors.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
