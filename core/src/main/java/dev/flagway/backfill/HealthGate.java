package dev.flagway.backfill;

import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.HealthSignal;
import java.time.Duration;
import java.util.List;

/** Reads the health signals at most once per interval and keeps the worst reading. */
final class HealthGate {
    private final List<HealthSignal> signals;
    private final long intervalNanos;
    private HealthReading last;
    private long readAt;

    HealthGate(List<HealthSignal> signals, Duration interval) {
        this.signals = List.copyOf(signals);
        this.intervalNanos = interval.toNanos();
    }

    /** The worst current reading, or null when every signal is OK. */
    HealthReading check() {
        long now = System.nanoTime();
        if (last != null && now - readAt < intervalNanos) {
            return last.level() == HealthReading.Level.OK ? null : last;
        }
        HealthReading worst = HealthReading.ok("all", "healthy");
        for (HealthSignal signal : signals) {
            HealthReading r = read(signal);
            if (r.level().compareTo(worst.level()) > 0) {
                worst = r;
            }
        }
        last = worst;
        readAt = now;
        return worst.level() == HealthReading.Level.OK ? null : worst;
    }

    private static HealthReading read(HealthSignal signal) {
        try {
            return signal.read();
        } catch (InterruptedException e) {
            // kept for the run's next wait, which then cancels the run, whichever signal was interrupted
            Thread.currentThread().interrupt();
            return new HealthReading(signal.getClass().getSimpleName(), HealthReading.Level.THROTTLE,
                    "interrupted while being read");
        } catch (Exception e) {
            return new HealthReading(signal.getClass().getSimpleName(), HealthReading.Level.THROTTLE,
                    "could not be read: " + e.getMessage());
        }
    }
}
