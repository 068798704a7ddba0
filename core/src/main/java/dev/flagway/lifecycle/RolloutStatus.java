package dev.flagway.lifecycle;

import java.util.Locale;
import java.util.Optional;

/** Where a migration's automatic rollout stands. */
public enum RolloutStatus {
    /** No automatic rollout: never started, or ended by an operator's move. */
    IDLE,
    /** The controller judges the fleet each tick and advances the share after each healthy hold. */
    RUNNING,
    /** Held at the current share by an operator; resuming restarts the current step's hold. */
    PAUSED,
    /** Stopped by a breach: the flag went back to {@code dual_write}; the note says which instance and metric. */
    HALTED,
    /** The last step (100%) is reached; ramp down and complete are the operator's moves. */
    DONE;

    /** The lower-case name, as persisted and shown, e.g. {@code running}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status named {@code value} (as {@link #value()} spells it), or empty. */
    static Optional<RolloutStatus> fromValue(String value) {
        for (RolloutStatus s : values()) {
            if (s.value().equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
