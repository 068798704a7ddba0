package dev.flagway.bench.jmh;

import dev.flagway.breaker.BreakerConfig;
import dev.flagway.breaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Item 3: recording one call's outcome in Flagway's breaker vs Resilience4j's
 * {@code CircuitBreaker} with a comparable time-based window: 10 one-second buckets, at least 100
 * calls before judging, trip above 1% errors, 250 ms slow-call threshold (Flagway: p95 above the SLA,
 * i.e. more than 5% slow calls; Resilience4j: slow-call rate 5%).
 *
 * <p>Success paths run with those settings. Failure paths must not trip (an open breaker measures
 * something else), and a 100% failure rate trips any threshold Resilience4j accepts (it trips at
 * rate &gt;= threshold, and the threshold is at most 100), so both failure-path breakers are given
 * {@code minimumCalls = Integer.MAX_VALUE}: each records, then sees too few calls to judge. Flagway's
 * {@code recordFailure_flagway_judging} shows its full judgement instead (100 calls minimum, error
 * threshold 100%, which Flagway trips only above).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BreakerBenchmark {
    /** A modern call's latency: 2 ms, well inside the 250 ms SLA. */
    static final long LATENCY_NANOS = 2_000_000L;
    private static final RuntimeException FAILURE = new IllegalStateException("modern read failed");

    CircuitBreaker flagway;
    CircuitBreaker flagwayFailures;
    CircuitBreaker flagwayJudging;
    io.github.resilience4j.circuitbreaker.CircuitBreaker r4j;
    io.github.resilience4j.circuitbreaker.CircuitBreaker r4jFailures;

    /** Flagway's defaults, written out: they are what the comparison is about. */
    public static BreakerConfig flagwayConfig() {
        return BreakerConfig.custom()
                .window(Duration.ofSeconds(10)).minimumCalls(100)
                .errorRateThreshold(0.01).p95LatencyThreshold(Duration.ofMillis(250))
                .build();
    }

    /** Resilience4j set up as close to {@link #flagwayConfig()} as its model allows. */
    public static CircuitBreakerConfig resilience4jConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.TIME_BASED).slidingWindowSize(10)
                .minimumNumberOfCalls(100)
                .failureRateThreshold(1f)
                .slowCallDurationThreshold(Duration.ofMillis(250)).slowCallRateThreshold(5f)
                .build();
    }

    @Setup(Level.Trial)
    public void setUp() {
        flagway = CircuitBreaker.of("bench", flagwayConfig());
        flagwayFailures = CircuitBreaker.of("bench-failures",
                BreakerConfig.from(flagwayConfig()).minimumCalls(Integer.MAX_VALUE).build());
        flagwayJudging = CircuitBreaker.of("bench-judging",
                BreakerConfig.from(flagwayConfig()).errorRateThreshold(1.0).build());
        r4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench", resilience4jConfig());
        r4jFailures = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench-failures",
                CircuitBreakerConfig.from(resilience4jConfig()).minimumNumberOfCalls(Integer.MAX_VALUE).build());
    }

    /** Fails when a failure-path breaker tripped after all: its numbers would be an open breaker's. */
    public void verifyClosed() {
        if (flagway.state() != CircuitBreaker.State.CLOSED || flagwayFailures.state() != CircuitBreaker.State.CLOSED
                || flagwayJudging.state() != CircuitBreaker.State.CLOSED
                || r4j.getState() != io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED
                || r4jFailures.getState() != io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED) {
            throw new IllegalStateException("a breaker left CLOSED: " + flagway + ", " + flagwayFailures + ", "
                    + flagwayJudging + ", " + r4j.getState() + ", " + r4jFailures.getState());
        }
    }

    @org.openjdk.jmh.annotations.TearDown(Level.Trial)
    public void tearDown() {
        verifyClosed();
    }

    // ------------------------------------------------------------------ one thread

    @Benchmark
    public void recordSuccess_flagway() {
        flagway.recordModernSuccess(LATENCY_NANOS);
    }

    @Benchmark
    public void recordSuccess_resilience4j() {
        r4j.onSuccess(LATENCY_NANOS, TimeUnit.NANOSECONDS);
    }

    @Benchmark
    public void recordFailure_flagway() {
        flagwayFailures.recordModernFailure(LATENCY_NANOS);
    }

    @Benchmark
    public void recordFailure_resilience4j() {
        r4jFailures.onError(LATENCY_NANOS, TimeUnit.NANOSECONDS, FAILURE);
    }

    @Benchmark
    public void recordFailure_flagway_judging() {
        flagwayJudging.recordModernFailure(LATENCY_NANOS);
    }

    /** Permission plus record: what a guarded call pays in all. */
    @Benchmark
    public boolean guardedSuccess_flagway() {
        boolean allowed = flagway.allowsModern();
        flagway.recordModernSuccess(LATENCY_NANOS);
        return allowed;
    }

    @Benchmark
    public boolean guardedSuccess_resilience4j() {
        boolean allowed = r4j.tryAcquirePermission();
        r4j.onSuccess(LATENCY_NANOS, TimeUnit.NANOSECONDS);
        return allowed;
    }

    // ------------------------------------------------------------------ two threads on one breaker

    @Benchmark
    @Threads(2)
    public void recordSuccess_flagway_2threads() {
        flagway.recordModernSuccess(LATENCY_NANOS);
    }

    @Benchmark
    @Threads(2)
    public void recordSuccess_resilience4j_2threads() {
        r4j.onSuccess(LATENCY_NANOS, TimeUnit.NANOSECONDS);
    }

    @Benchmark
    @Threads(2)
    public void recordFailure_flagway_2threads() {
        flagwayFailures.recordModernFailure(LATENCY_NANOS);
    }

    @Benchmark
    @Threads(2)
    public void recordFailure_resilience4j_2threads() {
        r4jFailures.onError(LATENCY_NANOS, TimeUnit.NANOSECONDS, FAILURE);
    }
}
