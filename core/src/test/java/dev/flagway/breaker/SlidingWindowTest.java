package dev.flagway.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    private static final long NOW = 1_000 * SECOND;
    private static final int WRITERS = 4;

    private final ExecutorService pool = Executors.newFixedThreadPool(WRITERS);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void bothPathsEstimateTheNearestRankP95OverEarlierSecondsAndTheCurrentOne() {
        SlidingWindow window = new SlidingWindow(10, 1);
        for (int i = 1; i <= 100; i++) {
            long now = NOW - (i % 3) * SECOND; // the current second and the two before it
            window.recordModern(now, i * MS, 1, false, false);
            window.recordLegacy(now, i * MS);
        }

        assertThat(window.p95Nanos(SlidingWindow.MODERN, NOW)).isEqualTo(midpoint(95 * MS));
        assertThat(window.p95Nanos(SlidingWindow.LEGACY, NOW)).isEqualTo(midpoint(95 * MS));
    }

    @Test
    void bothPathsTakeTheSlotWhereTheRankFallsEvenNextToTheTail() {
        SlidingWindow atRank = new SlidingWindow(10, 1);
        SlidingWindow pastRank = new SlidingWindow(10, 1);
        for (int i = 0; i < 20; i++) {
            // 20 latencies give rank 19: with one slow the 19th is fast, with two it is slow
            record(atRank, i < 19 ? 10 * MS : 100 * MS);
            record(pastRank, i < 18 ? 10 * MS : 100 * MS);
        }

        assertThat(atRank.p95Nanos(SlidingWindow.MODERN, NOW)).isEqualTo(midpoint(10 * MS));
        assertThat(atRank.p95Nanos(SlidingWindow.LEGACY, NOW)).isEqualTo(midpoint(10 * MS));
        assertThat(pastRank.p95Nanos(SlidingWindow.MODERN, NOW)).isEqualTo(midpoint(100 * MS));
        assertThat(pastRank.p95Nanos(SlidingWindow.LEGACY, NOW)).isEqualTo(midpoint(100 * MS));
    }

    /**
     * Every tenth latency, the first included, is slow, so the p95 of both paths is the slow latency
     * at every moment. Reading a p95 while the histogram grows must not let the legacy estimate drop
     * below it (it would trip the legacy ratio on a healthy modern path) nor the modern one rise above.
     * Small windows grow fastest relative to their size, so the judge reads several fresh ones.
     */
    @Test
    void p95ReadWhileOtherThreadsRecordNeverUnderstatesLegacyNorOverstatesModern() throws Exception {
        long slow = midpoint(100 * MS);
        for (int round = 0; round < 8; round++) {
            SlidingWindow window = new SlidingWindow(10, 1);
            List<Future<?>> writers = startWriters(window);
            int reads = 0;
            while (!writers.stream().allMatch(Future::isDone) || reads == 0) {
                long now = reads % 2 == 0 ? NOW : NOW + SECOND;
                long modern = window.p95Nanos(SlidingWindow.MODERN, now);
                long legacy = window.p95Nanos(SlidingWindow.LEGACY, now);
                if (legacy != 0) {
                    assertThat(legacy).as("legacy p95 on read %d of round %d", reads, round).isEqualTo(slow);
                }
                assertThat(modern).as("modern p95 on read %d of round %d", reads, round).isLessThanOrEqualTo(slow);
                reads++;
            }
            for (Future<?> writer : writers) {
                writer.get(1, TimeUnit.MINUTES); // a guard against a hang, not a timing assertion
            }

            assertThat(window.p95Nanos(SlidingWindow.MODERN, NOW + SECOND)).isEqualTo(slow);
            assertThat(window.p95Nanos(SlidingWindow.LEGACY, NOW + SECOND)).isEqualTo(slow);
        }
    }

    /** Starts {@link #WRITERS} threads recording both paths into the current second, then the next one. */
    private List<Future<?>> startWriters(SlidingWindow window) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 6_000; i++) {
                    long now = i < 3_000 ? NOW : NOW + SECOND;
                    long latency = i % 10 == 0 ? 100 * MS : 10 * MS;
                    window.recordModern(now, latency, 1, false, false);
                    window.recordLegacy(now, latency);
                }
                return null;
            }));
        }
        start.countDown();
        return writers;
    }

    private static void record(SlidingWindow window, long latency) {
        window.recordModern(NOW, latency, 1, false, false);
        window.recordLegacy(NOW, latency);
    }

    private static long midpoint(long nanos) {
        return LatencyHistogram.midpoint(LatencyHistogram.slot(nanos));
    }
}
