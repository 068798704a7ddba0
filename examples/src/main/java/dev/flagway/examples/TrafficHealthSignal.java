package dev.flagway.examples;

import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.HealthSignal;
import java.time.Duration;

/**
 * A health signal the application gives its backfill: the users' own latency. When the last
 * timeline slice's p95 is above the threshold, the backfill throttles (smaller batches, a pause
 * between them) until the traffic is fast again.
 */
final class TrafficHealthSignal implements HealthSignal {
    private final RunRecorder recorder;
    private final Duration threshold;

    TrafficHealthSignal(RunRecorder recorder, Duration threshold) {
        this.recorder = recorder;
        this.threshold = threshold;
    }

    @Override
    public HealthReading read() {
        double p95 = recorder.latestTick().map(Tick::p95).orElse(0.0);
        String detail = "request p95 " + Formats.millis(p95) + " ms (throttle above " + threshold.toMillis() + " ms)";
        return p95 > threshold.toMillis() ? new HealthReading("traffic-latency", HealthReading.Level.THROTTLE, detail)
                : HealthReading.ok("traffic-latency", detail);
    }
}
