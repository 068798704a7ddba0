package dev.flagway.lifecycle;

import dev.flagway.internal.Checks;
import java.time.Instant;

/**
 * A migration's automatic rollout, persisted with its lifecycle state.
 *
 * @param status where the rollout stands
 * @param cap the highest share in percent the controller may move to (100 when not capped)
 * @param stepStartedAt when the current step's hold started, or null when not running or paused
 * @param note the controller's last judgement, or why the rollout halted or ended, or null
 */
public record RolloutState(RolloutStatus status, double cap, Instant stepStartedAt, String note) {
    /** No automatic rollout, not capped. */
    public static final RolloutState IDLE = new RolloutState(RolloutStatus.IDLE, 100.0, null, null);

    /** Checks the state. */
    public RolloutState {
        Checks.notNull("rollout status", status);
        if (!(cap > 0.0 && cap <= 100.0)) {
            throw new IllegalArgumentException("rollout cap must be a percent in (0, 100] but was " + cap);
        }
    }

    /** Whether the controller judges this rollout (running). */
    public boolean running() {
        return status == RolloutStatus.RUNNING;
    }

    /** Whether an operator capped it below 100%. */
    public boolean capped() {
        return cap < 100.0;
    }

    RolloutState with(RolloutStatus newStatus, Instant stepAt, String newNote) {
        return new RolloutState(newStatus, cap, stepAt, newNote);
    }

    RolloutState withCap(double newCap, String newNote) {
        return new RolloutState(status, newCap, stepStartedAt, newNote);
    }
}
