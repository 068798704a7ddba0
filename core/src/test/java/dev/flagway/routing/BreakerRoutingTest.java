package dev.flagway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.Stage;
import dev.flagway.breaker.BreakerConfig;
import dev.flagway.breaker.CircuitBreaker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker as callers see it through the reader: 16 threads, injected faults, fleet-wide disable. */
class BreakerRoutingTest {
    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = 500;

    private final List<String> disabled = new CopyOnWriteArrayList<>();

    private Fixture fixture() {
        return Fixture.create(
                m -> m.breaker(BreakerConfig.custom().minimumCalls(200).window(Duration.ofSeconds(30))
                        .p95LatencyThreshold(Duration.ofSeconds(5)).build()),
                b -> b.flagStateStore((flag, actor, reason) -> disabled.add(flag + "|" + actor + "|" + reason)));
    }

    /** Runs THREADS x CALLS_PER_THREAD routed reads; returns what callers saw go wrong. */
    private static List<Throwable> hammer(Fixture fx, AtomicInteger modernCalls, AtomicLong failEvery) throws Exception {
        List<Throwable> callerErrors = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        String key = "user-" + thread + "-" + i;
                        try {
                            String value = fx.runtime.reader().read(key, () -> "same value", () -> {
                                int n = modernCalls.incrementAndGet();
                                if (failEvery.get() > 0 && n % failEvery.get() == 0) {
                                    throw new IllegalStateException("injected modern failure");
                                }
                                return "same value";
                            });
                            if (value == null) {
                                callerErrors.add(new AssertionError("null result"));
                            }
                        } catch (Throwable e) {
                            callerErrors.add(e);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return callerErrors;
    }

    @Test
    void fivePercentModernErrorsFromSixteenThreadsTripTheBreakerAndNoFailureReachesCallers() throws Exception {
        try (Fixture fx = fixture()) {
            fx.flags.stage(Stage.LIVE);
            AtomicInteger modernCalls = new AtomicInteger();

            List<Throwable> callerErrors = hammer(fx, modernCalls, new AtomicLong(20));

            assertThat(callerErrors).isEmpty();
            assertThat(fx.runtime.breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
            // it tripped as soon as the window held the minimum calls, long before the 8000 calls ended
            assertThat(modernCalls.get()).isLessThan(THREADS * CALLS_PER_THREAD / 2);
            assertThat(fx.runtime.effectiveStage("anyone")).isEqualTo(Stage.DUAL_WRITE);
            assertThat(fx.count("flagway.fallbacks")).isEqualTo(fx.count("flagway.reads", "path", "modern", "outcome", "error"));
            Fixture.await("the fleet-wide disable", () -> disabled.size() == 1);
            assertThat(disabled.get(0)).startsWith("users-email|circuit-breaker|circuit breaker of migration 'users-email' opened: ")
                    .contains("error rate");
        }
    }

    @Test
    void afterTheTripNoModernReadRunsAndCallersGetLegacy() throws Exception {
        try (Fixture fx = fixture()) {
            fx.flags.stage(Stage.LIVE);
            fx.runtime.breaker().forceOpen("operator test");
            AtomicInteger modernCalls = new AtomicInteger();

            List<Throwable> callerErrors = hammer(fx, modernCalls, new AtomicLong(1));

            assertThat(callerErrors).isEmpty();
            assertThat(modernCalls.get()).isZero();
            assertThat(fx.count("flagway.reads", "stage", "dual_write", "path", "legacy")).isEqualTo(THREADS * CALLS_PER_THREAD);
        }
    }

    @Test
    void healthyModernPathNeverTrips() throws Exception {
        try (Fixture fx = fixture()) {
            fx.flags.stage(Stage.LIVE);
            AtomicInteger modernCalls = new AtomicInteger();

            List<Throwable> callerErrors = hammer(fx, modernCalls, new AtomicLong(0));

            assertThat(callerErrors).isEmpty();
            assertThat(fx.runtime.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(modernCalls.get()).isEqualTo(THREADS * CALLS_PER_THREAD);
            assertThat(disabled).isEmpty();
        }
    }

    @Test
    void resetAfterTheFixSendsReadsBackToTheModernPath() {
        try (Fixture fx = fixture()) {
            fx.flags.stage(Stage.LIVE);
            fx.runtime.breaker().forceOpen("injected fault");
            assertThat(fx.runtime.reader().read("k", () -> "legacy", () -> "modern")).isEqualTo("legacy");

            fx.runtime.breaker().reset("operator");

            assertThat(fx.runtime.reader().read("k", () -> "legacy", () -> "modern")).isEqualTo("modern");
            assertThat(fx.count("flagway.breaker.transitions", "state", "closed", "cause", "reset")).isEqualTo(1.0);
        }
    }

    @Test
    void writesStayDualWhileTheBreakerIsOpen() {
        try (Fixture fx = fixture()) {
            fx.flags.stage(Stage.LIVE);
            fx.runtime.breaker().forceOpen("injected fault");

            fx.repository.setEmail(1L, "a@example.com");

            assertThat(fx.legacy.rows).containsKey(1L);
            assertThat(fx.modern.rows).containsKey(1L);
        }
    }

    @Test
    void shadowMismatchesTripTheBreakerOnTheirRate() {
        AtomicBoolean differ = new AtomicBoolean(true);
        try (Fixture fx = Fixture.create(
                m -> m.breaker(BreakerConfig.custom().minimumCalls(20).mismatchRateThreshold(0.1).build()),
                b -> b)) {
            fx.flags.stage(Stage.SHADOW);
            for (int i = 0; i < 40; i++) {
                fx.runtime.reader().read("k" + i, () -> "legacy", () -> differ.get() ? "other" : "legacy");
            }
            // The listeners (metrics among them) hear of the transition just after the state changes.
            Fixture.await("the mismatch trip", () -> fx.runtime.breaker().state() == CircuitBreaker.State.OPEN
                    && fx.count("flagway.breaker.transitions", "cause", "mismatch_rate") > 0);
            assertThat(fx.count("flagway.breaker.transitions", "cause", "mismatch_rate")).isEqualTo(1.0);
        }
    }
}
