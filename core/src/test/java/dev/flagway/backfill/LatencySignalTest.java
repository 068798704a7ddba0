package dev.flagway.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.HealthReading.Level;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.CountingMode;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencySignalTest {
    private final Timer requests = new SimpleMeterRegistry().timer("http.server.requests");

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
        Timer stepTimer = new SimpleMeterRegistry(step, Clock.SYSTEM).timer("http.server.requests");

        assertThatThrownBy(() -> LatencySignal.of(stepTimer))
                .hasMessage("latency timer 'http.server.requests' is a step timer, whose count and total time cover "
                        + "only the last step; give one from a cumulative registry");
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
    }

    private void record(int count, double millis) {
        for (int i = 0; i < count; i++) {
            requests.record(Duration.ofNanos((long) (millis * 1_000_000)));
        }
    }
}
