package dev.flagway.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.HealthReading.Level;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.CountingMode;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencySignalTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final Timer requests = registry.timer("http.server.requests");

    @Test
    void throttlesFromOneAndAHalfTimesTheBaselineMeanAndPausesFromThreeTimes() throws Exception {
        LatencySignal signal = LatencySignal.builder(requests).build(window -> record(50, 2));

        assertThat(signal.read().detail()).isEqualTo("baseline mean 2.00 ms over 50 requests");
        record(50, 2.9);
        assertThat(signal.read().level()).isEqualTo(Level.OK);
        record(50, 3);
        HealthReading slow = signal.read();
        assertThat(slow.level()).isEqualTo(Level.THROTTLE);
        assertThat(slow.detail())
                .isEqualTo("mean 3.00 ms over 50 requests, 1.50× the baseline 2.00 ms (throttle at 1.5×, critical at 3×)");
        record(50, 6);
        assertThat(signal.read().level()).isEqualTo(Level.CRITICAL);
        record(50, 2);
        assertThat(signal.read().level()).isEqualTo(Level.OK);
    }

    @Test
    void anIntervalWithTooFewRequestsIsNotJudgedButCountsTowardTheNext() throws Exception {
        LatencySignal signal = LatencySignal.builder(requests).build(window -> record(50, 2));
        signal.read();

        record(10, 10);
        HealthReading few = signal.read();
        record(10, 10);
        HealthReading enough = signal.read();

        assertThat(few.level()).isEqualTo(Level.OK);
        assertThat(few.detail()).isEqualTo("10 requests since the last judged reading, too few to judge");
        assertThat(enough.level()).isEqualTo(Level.CRITICAL);
        assertThat(enough.detail()).startsWith("mean 10.00 ms over 20 requests");
    }

    @Test
    void withoutApplicationTrafficDuringTheBaselineThereIsNothingToProtect() throws Exception {
        LatencySignal signal = LatencySignal.builder(requests).build(window -> record(3, 2));

        assertThat(signal.read().detail())
                .isEqualTo("no baseline: 3 requests before the backfill (fewer than 20), so nothing to protect");
        record(100, 50);
        assertThat(signal.read().level()).isEqualTo(Level.OK);
    }

    @Test
    void requestsBetweenTheSignalsCreationAndItsFirstReadMakeTheBaseline() throws Exception {
        LatencySignal signal = LatencySignal.builder(requests).baselineWindow(Duration.ofNanos(1))
                .build(window -> {
                    throw new AssertionError("waited " + window + " although the window had passed");
                });
        record(30, 4);

        assertThat(signal.read().detail()).isEqualTo("baseline mean 4.00 ms over 30 requests");
    }

    @Test
    void anInterruptedBaselineWaitEndsTheReadWithTheInterruption() {
        LatencySignal signal = LatencySignal.builder(requests).build(window -> {
            throw new InterruptedException("stop");
        });

        assertThatThrownBy(signal::read).isInstanceOf(InterruptedException.class);
    }

    @Test
    void customRatiosAndSampleSizeApply() throws Exception {
        LatencySignal signal = LatencySignal.builder(requests).throttleAt(1.2).criticalAt(1.2).minSamples(5)
                .build(window -> record(5, 1));
        signal.read();

        record(5, 1.2);

        assertThat(signal.read().level()).isEqualTo(Level.CRITICAL);
    }

    @Test
    void aStepTimerIsRejectedBecauseItsCountCoversOnlyTheLastStep() {
        Timer stepTimer = stepRegistry().timer("http.server.requests");

        assertThatThrownBy(() -> LatencySignal.of(stepTimer))
                .hasMessage("latency timer 'http.server.requests' is a step timer, whose count and total time cover "
                        + "only the last step; give one from a cumulative registry");
    }

    @Test
    void overAMeterNameTheRequestsOfEveryTimerOfThatNameAreAddedUp() throws Exception {
        Timer users = timer("/users/{id}");
        Timer orders = timer("/orders");
        registry.timer("jvm.gc.pause").record(Duration.ofSeconds(1)); // another name: not counted
        LatencySignal signal = LatencySignal.builder(registry, "http.server.requests").build(window -> {
            record(users, 30, 1);
            record(orders, 20, 3.5);
        });

        assertThat(signal.read().detail()).isEqualTo("baseline mean 2.00 ms over 50 requests");
        record(users, 25, 2);
        record(orders, 25, 4);
        HealthReading slow = signal.read();

        assertThat(slow.level()).isEqualTo(Level.THROTTLE);
        assertThat(slow.detail())
                .isEqualTo("mean 3.00 ms over 50 requests, 1.50× the baseline 2.00 ms (throttle at 1.5×, critical at 3×)");
        record(users, 40, 2);
        record(orders, 10, 2);
        assertThat(signal.read().level()).isEqualTo(Level.OK);
    }

    @Test
    void aTimerThatAppearsDuringTheBackfillCountsOnlyItsOwnRequestsAndTheOldOnesCountFromTheSignalsCreation()
            throws Exception {
        record(timer("/users/{id}"), 1000, 40); // before the signal: not part of the baseline
        LatencySignal signal = LatencySignal.builder(registry, "http.server.requests")
                .build(window -> record(timer("/users/{id}"), 50, 2));
        assertThat(signal.read().detail()).isEqualTo("baseline mean 2.00 ms over 50 requests");

        record(timer("/orders"), 30, 2); // a new URI's timer, registered now
        record(timer("/users/{id}"), 20, 2);
        HealthReading withNewTimer = signal.read();
        registry.remove(timer("/orders"));
        record(timer("/users/{id}"), 20, 6);
        HealthReading afterRemoval = signal.read();

        assertThat(withNewTimer.level()).isEqualTo(Level.OK);
        assertThat(withNewTimer.detail()).startsWith("mean 2.00 ms over 50 requests, 1.00×");
        assertThat(afterRemoval.level()).isEqualTo(Level.CRITICAL);
        assertThat(afterRemoval.detail()).startsWith("mean 6.00 ms over 20 requests, 3.00×");
    }

    @Test
    void overAMeterNameNoTimerNeedExistYet() throws Exception {
        LatencySignal signal = LatencySignal.builder(registry, "checkout.latency").build(window -> { });

        assertThat(signal.read().detail())
                .isEqualTo("no baseline: 0 requests before the backfill (fewer than 20), so nothing to protect");
    }

    @Test
    void overAMeterNameStepTimersAreRejectedLikeASingleOne() {
        MeterRegistry step = stepRegistry();
        step.timer("http.server.requests", "uri", "/users");

        assertThatThrownBy(() -> LatencySignal.builder(step, "http.server.requests"))
                .hasMessage("latency timer 'http.server.requests' is a step timer, whose count and total time cover "
                        + "only the last step; give one from a cumulative registry");
    }

    @Test
    void anyCumulativeSourceMayFeedTheSignal() throws Exception {
        long[] count = {0};
        LatencySignal signal = LatencySignal.builder(() -> new LatencySignal.Totals(count[0], count[0] * 2e6))
                .minSamples(5).build(window -> count[0] += 10);

        assertThat(signal.read().detail()).isEqualTo("baseline mean 2.00 ms over 10 requests");
        assertThatThrownBy(() -> new LatencySignal.Totals(-1, 0))
                .hasMessage("latency totals must not be negative but were -1 requests, 0.0 ns");
    }

    @Test
    void settingsThatCannotWorkAreRejectedNamingTheValue() {
        assertThatThrownBy(() -> LatencySignal.builder(requests).throttleAt(1.0))
                .hasMessage("latency throttle-at ratio must be a number above 1, e.g. 1.5, but was 1.0");
        assertThatThrownBy(() -> LatencySignal.builder(requests).criticalAt(Double.NaN))
                .hasMessage("latency critical-at ratio must be a number above 1, e.g. 1.5, but was NaN");
        assertThatThrownBy(() -> LatencySignal.builder(requests).minSamples(0))
                .hasMessage("latency min-samples must be at least 1 but was 0");
        assertThatThrownBy(() -> LatencySignal.builder(requests).baselineWindow(Duration.ofSeconds(-1)))
                .hasMessage("latency baseline-window must be positive but was -1s");
        assertThatThrownBy(() -> LatencySignal.builder(requests).throttleAt(2).criticalAt(1.5).build())
                .hasMessage("latency critical-at ratio (1.5) must not be below the throttle-at ratio (2.0)");
        assertThatThrownBy(() -> LatencySignal.of(null)).hasMessage("latency timer must not be null");
        assertThatThrownBy(() -> LatencySignal.builder(null, "http.server.requests"))
                .hasMessage("meter registry must not be null");
        assertThatThrownBy(() -> LatencySignal.builder(registry, " "))
                .hasMessage("latency meter name must not be blank");
        assertThatThrownBy(() -> LatencySignal.builder((LatencySignal.Source) null))
                .hasMessage("latency source must not be null");
    }

    private Timer timer(String uri) {
        return registry.timer("http.server.requests", "uri", uri);
    }

    private void record(int count, double millis) {
        record(requests, count, millis);
    }

    private static void record(Timer timer, int count, double millis) {
        for (int i = 0; i < count; i++) {
            timer.record(Duration.ofNanos((long) (millis * 1_000_000)));
        }
    }

    private static MeterRegistry stepRegistry() {
        SimpleConfig step = new SimpleConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public CountingMode mode() {
                return CountingMode.STEP;
            }
        };
        return new SimpleMeterRegistry(step, Clock.SYSTEM);
    }
}
