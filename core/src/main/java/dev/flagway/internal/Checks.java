package dev.flagway.internal;

import java.time.Duration;

/** Argument checks shared by the builders; every message names the setting and the bad value. */
public final class Checks {
    private Checks() {
    }

    /** A ratio in (0, 1]. */
    public static double ratio(String what, double value) {
        if (!(value > 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(what + " must be a ratio in (0, 1], e.g. 0.01, but was " + value);
        }
        return value;
    }

    /** A ratio in [0, 1]. */
    public static double share(String what, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(what + " must be a share in [0, 1], e.g. 0.05, but was " + value);
        }
        return value;
    }

    /** A strictly positive duration. */
    public static Duration positive(String what, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive but was " + Durations.format(value));
        }
        return value;
    }

    /** An int at least {@code min}. */
    public static int atLeast(String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be at least " + min + " but was " + value);
        }
        return value;
    }

    /** A non-null reference. */
    public static <T> T notNull(String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }
}
