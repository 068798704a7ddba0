package dev.flagway.examples;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The contract gate's clock in the demo, on which one real second lasts a minute. The gate wants the
 * flag at {@code complete} for a business cycle (7 days in production) with no fallback in it, and
 * the fallback journal counts fallbacks per minute; a demo that waits seconds, not days, therefore
 * runs the gate's bookkeeping (fallback journal, flag history, gate) on this clock, so that the fault's
 * fallbacks a few seconds earlier are, as they would be in production, outside the window.
 */
final class GateClock extends Clock {
    /** Demo minutes per real second. */
    static final int SPEED = 60;

    private final Instant origin = Instant.now();
    private final long originNanos = System.nanoTime();

    /** The business cycle this clock measures for a real wait of {@code realWait}. */
    static Duration cycleFor(Duration realWait) {
        return realWait.multipliedBy(SPEED);
    }

    /** A real instant (e.g. from the flag's audit log) on this clock. */
    Instant fromReal(Instant real) {
        return origin.plus(Duration.between(origin, real).multipliedBy(SPEED));
    }

    @Override
    public Instant instant() {
        return origin.plusNanos((System.nanoTime() - originNanos) * SPEED);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the gate clock runs in UTC");
    }
}
