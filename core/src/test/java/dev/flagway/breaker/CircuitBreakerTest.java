package dev.flagway.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.flagway.breaker.CircuitBreaker.State;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    /** Starts at a whole second, so tests can reason about buckets. */
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final List<BreakerTransition> transitions = new CopyOnWriteArrayList<>();

    @Test
    void tripsWhenErrorRateExceedsThreshold() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());

        modernCalls(breaker, 98, 10 * MS, false);
        modernCalls(breaker, 1, 10 * MS, true);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        modernCalls(breaker, 1, 10 * MS, true);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.allowsModern()).isFalse();
        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.breakerName()).isEqualTo("users-email");
            assertThat(t.from()).isEqualTo(State.CLOSED);
            assertThat(t.to()).isEqualTo(State.OPEN);
            assertThat(t.cause()).isEqualTo(TransitionCause.ERROR_RATE);
            assertThat(t.description()).isEqualTo("error rate 2.0% (2 of 100 calls) above threshold 1.0% over 10s");
            assertThat(t.window().calls()).isEqualTo(100);
            assertThat(t.window().failures()).isEqualTo(2);
            assertThat(t.at()).isNotNull();
        });
    }

    @Test
    void tripMessageGivesTheRateAndTheThresholdWithEnoughDecimalsToTellThemApart() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());

        modernCalls(breaker, 2_529, 10 * MS, false);
        modernCalls(breaker, 26, 10 * MS, true);

        assertThat(transitions).singleElement().satisfies(t -> assertThat(t.description())
                .isEqualTo("error rate 1.02% (26 of 2555 calls) above threshold 1.00% over 10s"));
        assertThat(CircuitBreaker.percents(0.0100001, 0.01)).containsExactly("1.00001%", "1.00000%");
        assertThat(CircuitBreaker.percents(0.0007, 0.0005)).containsExactly("0.07%", "0.05%");
    }

    @Test
    void doesNotTripWhenErrorRateIsAtThreshold() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());

        for (int round = 0; round < 3; round++) {
            modernCalls(breaker, 99, 10 * MS, false);
            modernCalls(breaker, 1, 10 * MS, true);
        }

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.snapshot().errorRate()).isEqualTo(0.01);
        assertThat(transitions).isEmpty();
    }

    @Test
    void doesNotTripBelowMinimumCallsEvenWhenEveryCallFails() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());

        modernCalls(breaker, 99, 10 * MS, true);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(transitions).isEmpty();

        modernCalls(breaker, 1, 10 * MS, true);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void tripsWhenP95ExceedsSla() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());

        modernCalls(breaker, 94, 10 * MS, false);
        modernCalls(breaker, 5, 300 * MS, false);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        modernCalls(breaker, 1, 300 * MS, false);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.cause()).isEqualTo(TransitionCause.P95_LATENCY);
            assertThat(t.description())
                    .isEqualTo("p95 latency above SLA 250ms: 6.0% of calls (6 of 100) slower, more than 5%, over 10s");
            assertThat(t.window().modernP95()).isGreaterThan(Duration.ofMillis(250));
        });
    }

    @Test
    void doesNotTripWhenP95IsWithinSla() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());

        modernCalls(breaker, 95, 10 * MS, false);
        modernCalls(breaker, 5, 300 * MS, false);
        modernCalls(breaker, 50, 250 * MS, false); // at the SLA is not slower than it

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(transitions).isEmpty();
    }

    @Test
    void tripsWhenModernP95ExceedsTheLegacyRatio() {
        CircuitBreaker breaker = breaker(BreakerConfig.custom().p95LegacyRatioThreshold(2.0).build());

        legacyCalls(breaker, 100, 10 * MS);
        modernCalls(breaker, 100, 30 * MS, false);
        clock.addAndGet(100 * MS); // the ratio is judged on successes at most every 100 ms
        modernCalls(breaker, 1, 30 * MS, false);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.cause()).isEqualTo(TransitionCause.P95_LEGACY_RATIO);
            assertThat(t.description()).matches("modern p95 \\d+\\.\\dms more than 2\\.0 times legacy p95 \\d+\\.\\dms over 10s");
        });
    }

    @Test
    void legacyRatioIsNotJudgedUnlessConfigured() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());

        legacyCalls(breaker, 100, 10 * MS);
        modernCalls(breaker, 100, 30 * MS, false);
        clock.addAndGet(100 * MS);
        modernCalls(breaker, 1, 30 * MS, false);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void legacyRatioNeedsMinimumCallsOfLegacyLatencies() {
        CircuitBreaker breaker = breaker(BreakerConfig.custom().p95LegacyRatioThreshold(2.0).build());

        legacyCalls(breaker, 99, 10 * MS);
        modernCalls(breaker, 100, 30 * MS, false);
        clock.addAndGet(100 * MS);
        modernCalls(breaker, 1, 30 * MS, false);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);

        legacyCalls(breaker, 1, 10 * MS);
        clock.addAndGet(100 * MS);
        modernCalls(breaker, 1, 30 * MS, false);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void tripsWhenMismatchRateExceedsThreshold() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());

        comparisons(breaker, 98, true);
        comparisons(breaker, 1, false);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        comparisons(breaker, 1, false);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.cause()).isEqualTo(TransitionCause.MISMATCH_RATE);
            assertThat(t.description())
                    .isEqualTo("mismatch rate 2.0% (2 of 100 comparisons) above threshold 1.0% over 10s");
        });
    }

    @Test
    void doesNotJudgeMismatchRateBelowMinimumComparisons() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());

        comparisons(breaker, 99, false);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void callsOlderThanTheWindowAgeOut() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());

        modernCalls(breaker, 99, 10 * MS, true);
        clock.addAndGet(20 * SECOND);
        modernCalls(breaker, 99, 10 * MS, false);
        modernCalls(breaker, 1, 10 * MS, true);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.snapshot().calls()).isEqualTo(100);
        assertThat(breaker.snapshot().failures()).isEqualTo(1);
    }

    @Test
    void judgesEverySecondOfALongWindow() {
        CircuitBreaker breaker = oneFailureThenAMinuteOfSuccesses();

        modernCalls(breaker, 1, 10 * MS, true); // still second 59: the failure of second 0 counts

        assertThat(transitions).singleElement().satisfies(t ->
                assertThat(t.description()).startsWith("error rate 1.1% (2 of 179 calls)"));
    }

    @Test
    void forgetsTheOldestSecondOfALongWindowWhenItLeaves() {
        CircuitBreaker breaker = oneFailureThenAMinuteOfSuccesses();
        clock.addAndGet(SECOND); // second 60: second 0 leaves

        modernCalls(breaker, 1, 10 * MS, true);

        assertThat(breaker.state()).as("1 of 178, not 2 of 179").isEqualTo(State.CLOSED);
    }

    /** A breaker with a one-minute window: one failure in second 0, then 3 successes in each of seconds 1 to 59. */
    private CircuitBreaker oneFailureThenAMinuteOfSuccesses() {
        CircuitBreaker breaker = breaker(BreakerConfig.custom().window(Duration.ofMinutes(1)).build());
        modernCalls(breaker, 1, 10 * MS, true);
        for (int second = 1; second < 60; second++) {
            clock.addAndGet(SECOND);
            modernCalls(breaker, 3, 10 * MS, false);
        }
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        return breaker;
    }

    @Test
    void resetForgetsTheEarlierSecondsAlreadySummedInTheSameSecond() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());
        modernCalls(breaker, 50, 10 * MS, true); // below the minimum: not judged
        clock.addAndGet(SECOND);
        modernCalls(breaker, 1, 10 * MS, true); // judged: the earlier second's 50 failures are summed now
        breaker.reset("alice");

        modernCalls(breaker, 99, 10 * MS, false);
        modernCalls(breaker, 1, 10 * MS, true);

        assertThat(breaker.state()).as("1 of 100 since the reset, not 52 of 151").isEqualTo(State.CLOSED);
    }

    @Test
    void windowHoldsTheLastWindowLengthOfSeconds() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());
        modernCalls(breaker, 5, 10 * MS, false);

        clock.addAndGet(9 * SECOND + 999 * MS);
        assertThat(breaker.snapshot().calls()).isEqualTo(5);

        clock.addAndGet(1 * MS);
        assertThat(breaker.snapshot().calls()).isZero();
    }

    @Test
    void staysOpenUntilReset() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());
        modernCalls(breaker, 100, 10 * MS, true);

        clock.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(breaker.allowsModern()).isFalse();
        assertThat(breaker.state()).isEqualTo(State.OPEN);

        breaker.reset("alice");

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.allowsModern()).isTrue();
        assertThat(breaker.snapshot().calls()).isZero();
        assertThat(transitions).hasSize(2).last().satisfies(t -> {
            assertThat(t.from()).isEqualTo(State.OPEN);
            assertThat(t.to()).isEqualTo(State.CLOSED);
            assertThat(t.cause()).isEqualTo(TransitionCause.RESET);
            assertThat(t.description()).isEqualTo("reset by alice; window cleared");
        });
    }

    @Test
    void resetClearsTheWindowSoOldFailuresCannotTripAgain() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());
        modernCalls(breaker, 100, 10 * MS, true);
        breaker.reset("alice");

        modernCalls(breaker, 99, 10 * MS, true);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void resetOfAClosedBreakerOnlyClearsTheWindow() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());
        modernCalls(breaker, 10, 10 * MS, true);

        breaker.reset("alice");

        assertThat(breaker.snapshot().calls()).isZero();
        assertThat(transitions).isEmpty();
    }

    @Test
    void forceOpenTripsWithCauseManualAndStaysOpenUntilReset() {
        CircuitBreaker breaker = breaker(BreakerConfig.custom().waitInOpen(Duration.ofSeconds(30)).build());

        breaker.forceOpen("bad deploy");
        clock.addAndGet(Duration.ofHours(1).toNanos());

        assertThat(breaker.allowsModern()).isFalse();
        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.cause()).isEqualTo(TransitionCause.MANUAL);
            assertThat(t.to()).isEqualTo(State.OPEN);
            assertThat(t.description()).isEqualTo("forced open: bad deploy");
        });

        breaker.reset("alice");
        assertThat(breaker.allowsModern()).isTrue();
    }

    @Test
    void forceOpenKeepsAnOpenBreakerOpenUntilResetWithoutANewTransition() {
        CircuitBreaker breaker = breaker(BreakerConfig.custom().waitInOpen(Duration.ofSeconds(30)).build());
        modernCalls(breaker, 100, 10 * MS, true);

        breaker.forceOpen("investigating");
        clock.addAndGet(Duration.ofMinutes(1).toNanos());

        assertThat(breaker.allowsModern()).isFalse();
        assertThat(transitions).extracting(BreakerTransition::cause).containsExactly(TransitionCause.ERROR_RATE);
    }

    @Test
    void movesToHalfOpenWhenWaitInOpenElapses() {
        CircuitBreaker breaker = breaker(halfOpenConfig());
        modernCalls(breaker, 100, 10 * MS, true);

        clock.addAndGet(30 * SECOND - 1);
        assertThat(breaker.allowsModern()).isFalse();
        clock.addAndGet(1);

        assertThat(breaker.allowsModern()).isTrue();
        assertThat(breaker.allowsModern()).isTrue();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(transitions).hasSize(2).last().satisfies(t -> {
            assertThat(t.from()).isEqualTo(State.OPEN);
            assertThat(t.to()).isEqualTo(State.HALF_OPEN);
            assertThat(t.cause()).isEqualTo(TransitionCause.WAIT_ELAPSED);
        });
    }

    @Test
    void failedProbeReopensAndRestartsTheWait() {
        CircuitBreaker breaker = halfOpenBreaker();

        modernCalls(breaker, 3, 10 * MS, false);
        modernCalls(breaker, 1, 5 * MS, true);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(transitions).last().satisfies(t -> {
            assertThat(t.from()).isEqualTo(State.HALF_OPEN);
            assertThat(t.cause()).isEqualTo(TransitionCause.PROBE_FAILED);
            assertThat(t.description()).isEqualTo("probe call 4 of 5 failed after 5.0ms; open again for 30s");
        });
        clock.addAndGet(30 * SECOND - 1);
        assertThat(breaker.allowsModern()).isFalse();
        clock.addAndGet(1);
        assertThat(breaker.allowsModern()).isTrue();
    }

    @Test
    void slowProbeReopens() {
        CircuitBreaker breaker = halfOpenBreaker();

        modernCalls(breaker, 1, 300 * MS, false);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(transitions).last().satisfies(t -> assertThat(t.description())
                .isEqualTo("probe call 1 of 5 took 300.0ms, above SLA 250ms; open again for 30s"));
    }

    @Test
    void passedProbesCloseWithAClearedWindow() {
        CircuitBreaker breaker = halfOpenBreaker();

        modernCalls(breaker, 4, 10 * MS, false);
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        modernCalls(breaker, 1, 10 * MS, false);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.snapshot().calls()).isZero();
        assertThat(transitions).last().satisfies(t -> {
            assertThat(t.from()).isEqualTo(State.HALF_OPEN);
            assertThat(t.cause()).isEqualTo(TransitionCause.PROBE_PASSED);
            assertThat(t.description()).isEqualTo("5 probe calls succeeded within SLA 250ms; window cleared");
        });
        modernCalls(breaker, 1, 10 * MS, true);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void callsTimedFromNowAreMeasuredOnTheBreakersClock() {
        CircuitBreaker breaker = breaker(BreakerConfig.custom().p95LegacyRatioThreshold(2.0).build());

        for (int i = 0; i < 100; i++) {
            long start = breaker.now();
            clock.addAndGet(i < 5 ? 300 * MS : 10 * MS);
            breaker.recordModernSuccessSince(start);
            long legacyStart = breaker.now();
            clock.addAndGet(10 * MS);
            breaker.recordLegacyLatencySince(legacyStart);
        }
        assertThat(breaker.state()).as("5 of 100 slow is a p95 at the SLA, not above").isEqualTo(State.CLOSED);
        long start = breaker.now();
        clock.addAndGet(300 * MS);
        breaker.recordModernFailureSince(start);

        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.cause()).as("one failure in 101 is below 1%; the sixth slow call is what trips")
                    .isEqualTo(TransitionCause.P95_LATENCY);
            assertThat(t.description()).startsWith("p95 latency above SLA 250ms: 5.9% of calls (6 of 101) slower");
            assertThat(t.window().failures()).isEqualTo(1);
        });
    }

    @Test
    void startedCallsAreAllTimedUpToAThousandASecondThenOneInFour() {
        AtomicLong readings = new AtomicLong();
        CircuitBreaker breaker = CircuitBreaker.of("users-email", BreakerConfig.ofDefaults(), () -> {
            readings.incrementAndGet();
            return clock.get();
        });
        long afterConstruction = readings.get();

        startedCalls(breaker, 1_000, 10_000L, false);
        assertThat(readings.get() - afterConstruction).as("two readings per call below the floor").isEqualTo(2_000);
        startedCalls(breaker, 40_000, 10_000L, false);

        // 10,000 of the 40,000 timed on average; 5 standard deviations either way is about ±430
        assertThat(readings.get() - afterConstruction - 2_000).isBetween(2L * 9_000, 2L * 11_000);
        assertThat(breaker.snapshot().calls()).as("every call counts, timed or not").isEqualTo(41_000);
        assertThat(breaker.snapshot().modernP95()).isBetween(Duration.ofNanos(8_750), Duration.ofNanos(11_250));
    }

    @Test
    void sampledTimingStillTripsWhenTenPercentOfCallsAreSlowerThanTheSla() {
        CircuitBreaker breaker = breaker(BreakerConfig.custom().p95LatencyThreshold(Duration.ofMillis(1)).build());
        startedCalls(breaker, 1_000, 10_000L, false); // the second's exactly timed calls, all fast

        int calls = 0;
        while (breaker.state() == State.CLOSED && calls < 4_000) {
            startedCalls(breaker, 1, calls % 10 == 0 ? 2 * MS : 10_000L, false);
            calls++;
        }

        // expected near 1,000 sampled calls (a tenth slow against 5% of all); 4,000 is 6 standard deviations on
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(transitions).singleElement().satisfies(t -> assertThat(t.cause()).isEqualTo(TransitionCause.P95_LATENCY));
        assertThat(clock.get()).as("all within the first second: the sampled regime judged").isLessThan(1_001 * SECOND);
    }

    @Test
    void sampledTimingDoesNotTripWhenTheP95IsWithinTheSla() {
        CircuitBreaker breaker = breaker(BreakerConfig.custom().p95LatencyThreshold(Duration.ofMillis(1)).build());

        for (int i = 0; i < 30_000; i++) {
            startedCalls(breaker, 1, i % 50 == 0 ? 2 * MS : 10_000L, false); // 2% slow
        }

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(transitions).isEmpty();
    }

    @Test
    void everyFailureOfAStartedCallCountsWhetherTimedOrNot() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());
        startedCalls(breaker, 1_000, 10_000L, false);
        for (int i = 0; i < 19_000; i++) {
            startedCalls(breaker, 1, 10_000L, false);
        }
        assertThat(breaker.snapshot().calls()).isEqualTo(20_000);

        startedCalls(breaker, 203, 10_000L, true);

        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.cause()).isEqualTo(TransitionCause.ERROR_RATE);
            assertThat(t.description()).contains("(203 of 20203 calls) above threshold");
        });
    }

    @Test
    void halfOpenProbesAreAllTimedEvenWhenTheSecondIsPastTheFloor() {
        CircuitBreaker breaker = breaker(halfOpenConfig());
        startedCalls(breaker, 1_100, 10_000L, false);
        modernCalls(breaker, 100, 10 * MS, true);
        clock.addAndGet(30 * SECOND);
        assertThat(breaker.allowsModern()).isTrue();

        startedCalls(breaker, 1, 300 * MS, false); // untimed, it would pass three times in four

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(transitions).last().satisfies(t -> assertThat(t.cause()).isEqualTo(TransitionCause.PROBE_FAILED));
    }

    @Test
    void errorRateIsReportedBeforeTheMismatchRateWhenOneCallCrossesBoth() {
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());
        modernCalls(breaker, 98, 10 * MS, false);
        modernCalls(breaker, 1, 10 * MS, true);
        comparisons(breaker, 99, false); // below the minimum: not judged yet
        comparisons(breaker, 1, true); // a match is not judged on
        assertThat(breaker.state()).isEqualTo(State.CLOSED);

        modernCalls(breaker, 1, 10 * MS, true);

        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.cause()).isEqualTo(TransitionCause.ERROR_RATE);
            assertThat(t.window().mismatchRate()).isEqualTo(0.99);
        });
    }

    @Test
    void throwingListenerDoesNotBreakTheBreakerOrOtherListeners() {
        CircuitBreaker breaker = CircuitBreaker.of("users-email", BreakerConfig.ofDefaults(), clock::get);
        breaker.addListener(t -> {
            throw new IllegalStateException("listener bug");
        });
        breaker.addListener(transitions::add);

        modernCalls(breaker, 100, 10 * MS, true);
        breaker.reset("alice");

        assertThat(transitions).extracting(BreakerTransition::cause)
                .containsExactly(TransitionCause.ERROR_RATE, TransitionCause.RESET);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void snapshotReportsTheWindowFigures() {
        CircuitBreaker breaker = breaker(BreakerConfig.custom()
                .errorRateThreshold(0.05).p95LatencyThreshold(Duration.ofSeconds(2)).build());
        for (int i = 1; i <= 1000; i++) {
            if (i % 50 == 0) {
                breaker.recordModernFailure(i * MS);
            } else {
                breaker.recordModernSuccess(i * MS);
            }
        }
        for (int i = 1; i <= 100; i++) {
            breaker.recordLegacyLatency(i * MS);
        }
        comparisons(breaker, 199, true);
        comparisons(breaker, 1, false);

        WindowSnapshot snapshot = breaker.snapshot();

        assertThat(snapshot.calls()).isEqualTo(1000);
        assertThat(snapshot.failures()).isEqualTo(20);
        assertThat(snapshot.errorRate()).isEqualTo(0.02);
        assertThat(snapshot.modernP95().toNanos()).isCloseTo(950 * MS, within(950 * MS / 8));
        assertThat(snapshot.legacyP95().toNanos()).isCloseTo(95 * MS, within(95 * MS / 8));
        assertThat(snapshot.comparisons()).isEqualTo(200);
        assertThat(snapshot.mismatches()).isEqualTo(1);
        assertThat(snapshot.mismatchRate()).isEqualTo(0.005);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void snapshotOfAnEmptyWindowIsZero() {
        assertThat(breaker(BreakerConfig.ofDefaults()).snapshot())
                .isEqualTo(new WindowSnapshot(0, 0, 0.0, Duration.ZERO, Duration.ZERO, 0, 0, 0.0));
    }

    @Test
    void rejectsMissingArguments() {
        assertThatThrownBy(() -> CircuitBreaker.of(null, BreakerConfig.ofDefaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be null");
        CircuitBreaker breaker = breaker(BreakerConfig.ofDefaults());
        assertThatThrownBy(() -> breaker.reset(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> breaker.forceOpen(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> breaker.addListener(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private CircuitBreaker breaker(BreakerConfig config) {
        CircuitBreaker breaker = CircuitBreaker.of("users-email", config, clock::get);
        breaker.addListener(transitions::add);
        return breaker;
    }

    private static BreakerConfig halfOpenConfig() {
        return BreakerConfig.custom().waitInOpen(Duration.ofSeconds(30)).halfOpenCalls(5).build();
    }

    /** A breaker tripped by failures and then half-open after its 30 s wait. */
    private CircuitBreaker halfOpenBreaker() {
        CircuitBreaker breaker = breaker(halfOpenConfig());
        modernCalls(breaker, 100, 10 * MS, true);
        clock.addAndGet(30 * SECOND);
        assertThat(breaker.allowsModern()).isTrue();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        return breaker;
    }

    private static void modernCalls(CircuitBreaker breaker, int count, long latencyNanos, boolean failed) {
        for (int i = 0; i < count; i++) {
            if (failed) {
                breaker.recordModernFailure(latencyNanos);
            } else {
                breaker.recordModernSuccess(latencyNanos);
            }
        }
    }

    /** Calls begun with {@link CircuitBreaker#startModernCall()}, each taking {@code latencyNanos} on the test clock. */
    private void startedCalls(CircuitBreaker breaker, int count, long latencyNanos, boolean failed) {
        for (int i = 0; i < count; i++) {
            long call = breaker.startModernCall();
            clock.addAndGet(latencyNanos);
            breaker.endModernCall(call, failed);
        }
    }

    private static void legacyCalls(CircuitBreaker breaker, int count, long latencyNanos) {
        for (int i = 0; i < count; i++) {
            breaker.recordLegacyLatency(latencyNanos);
        }
    }

    private static void comparisons(CircuitBreaker breaker, int count, boolean matched) {
        for (int i = 0; i < count; i++) {
            breaker.recordComparison(matched);
        }
    }
}
