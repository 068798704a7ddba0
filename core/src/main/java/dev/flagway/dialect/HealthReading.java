package dev.flagway.dialect;

import dev.flagway.internal.Checks;

/**
 * What a {@link HealthSignal} says about the database right now.
 *
 * @param signal the signal's name, e.g. {@code replication-lag}
 * @param level how the backfill must react
 * @param detail the figures behind the level, e.g. {@code replica lag 48 MB (throttle at 16 MB)}
 */
public record HealthReading(String signal, Level level, String detail) {
    /** Checks the fields. */
    public HealthReading {
        Checks.notNull("signal name", signal);
        Checks.notNull("level", level);
        Checks.notNull("detail", detail);
    }

    /** A healthy reading. */
    public static HealthReading ok(String signal, String detail) {
        return new HealthReading(signal, Level.OK, detail);
    }

    /** How a backfill reacts to a reading. */
    public enum Level {
        /** Go on at full speed. */
        OK,
        /** Slow down: smaller batches and a pause between them. */
        THROTTLE,
        /** Pause until the signal recovers; the backfill does not fail. */
        CRITICAL
    }
}
