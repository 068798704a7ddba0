package dev.flagway.schema;

import dev.flagway.internal.Checks;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: attempt {@code n} waits between half and all of
 * {@code min(max, initial * 2^(n-1))}, so retrying processes spread out instead of queueing again
 * at the same instant.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;

    /** A backoff from {@code initial} doubling up to {@code max}. */
    public Backoff(Duration initial, Duration max) {
        this.initial = Checks.positive("initial backoff", initial);
        this.max = Checks.positive("max backoff", max);
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        long cap = max.toMillis();
        long base = Math.min(cap, initial.toMillis() << Math.min(attempt - 1, 30));
        long half = Math.max(1, base / 2);
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
