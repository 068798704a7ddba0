package dev.flagway.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.breaker.CircuitBreaker.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CircuitBreakerConcurrencyTest {
    private static final int THREADS = 16;
    private static final long MS = 1_000_000L;
    private static final long START = 1_000 * 1_000 * MS;

    private final AtomicLong clock = new AtomicLong(START);
    private final List<BreakerTransition> transitions = new CopyOnWriteArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void healthyTrafficNeverTripsUnderSixteenThreads() throws Exception {
        CircuitBreaker breaker = breaker(BreakerConfig.custom().p95LegacyRatioThreshold(2.0).build());
        int callsPerThread = 10_000;
        AtomicInteger refused = new AtomicInteger();

        runOnAllThreads(thread -> {
            for (int i = 0; i < callsPerThread; i++) {
                clock.addAndGet(20_000); // 3.2 s over all calls: many buckets and ratio checks
                if (!breaker.allowsModern()) {
                    refused.incrementAndGet();
                }
                long latency = (i % 200 + 1) * MS;
                breaker.recordModernSuccess(latency);
                breaker.recordLegacyLatency(latency);
                breaker.recordComparison(true);
            }
        });

        assertThat(transitions).isEmpty();
        assertThat(refused).hasValue(0);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        // no ring slot is reused within 3.2 s, so not one count is lost
        WindowSnapshot snapshot = breaker.snapshot();
        assertThat(snapshot.calls()).isEqualTo(THREADS * callsPerThread);
        assertThat(snapshot.comparisons()).isEqualTo(THREADS * callsPerThread);
        assertThat(snapshot.failures()).isZero();
    }

    @Test
    void fivePercentFailuresFromSixteenThreadsTripOnceWithinTheWindow() throws Exception {
        BreakerConfig config = BreakerConfig.ofDefaults();
        CircuitBreaker breaker = breaker(config);
        AtomicLong trippedAt = new AtomicLong();
        breaker.addListener(t -> trippedAt.set(clock.get()));
        boolean[] allowedAfterTrip = new boolean[THREADS];

        runOnAllThreads(thread -> {
            for (int i = 0; i < 10_000 && breaker.allowsModern(); i++) {
                clock.addAndGet(MS);
                if (i % 20 == 0) {
                    breaker.recordModernFailure(5 * MS);
                } else {
                    breaker.recordModernSuccess(5 * MS);
                }
            }
            allowedAfterTrip[thread] = breaker.allowsModern();
        });

        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.cause()).isEqualTo(TransitionCause.ERROR_RATE);
            assertThat(t.to()).isEqualTo(State.OPEN);
            // the first failure after minimumCalls trips: each thread is at most 19 successes from its next
            // failure, and each thread has at most one call in flight when the trip happens
            assertThat(t.window().calls()).isBetween((long) config.minimumCalls(), config.minimumCalls() + THREADS * 20L);
        });
        assertThat(trippedAt.get() - START).isLessThan(config.window().toNanos());
        assertThat(allowedAfterTrip).containsOnly(false);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    private CircuitBreaker breaker(BreakerConfig config) {
        CircuitBreaker breaker = CircuitBreaker.of("users-email", config, clock::get);
        breaker.addListener(transitions::add);
        return breaker;
    }

    /** Runs {@code work} on {@link #THREADS} threads released together; rethrows the first failure. */
    private void runOnAllThreads(IntConsumer work) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                start.await();
                work.accept(thread);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> result : results) {
            result.get(1, TimeUnit.MINUTES); // a guard against a hang, not a timing assertion
        }
    }
}
