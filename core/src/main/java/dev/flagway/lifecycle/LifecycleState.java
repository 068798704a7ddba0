package dev.flagway.lifecycle;

import java.time.Instant;

/**
 * A migration's persisted lifecycle state, as read from the lifecycle table.
 *
 * @param migrationId the migration
 * @param phase where it stands
 * @param livePercent the share of keys reading modern in {@link LifecyclePhase#LIVE}, else 0
 * @param version the optimistic version, raised by every move (0 before the first)
 * @param updatedAt when the last move was made, or null before the first
 * @param updatedBy who made it, or null before the first
 * @param lastMove the last move and its reason, or null before the first
 * @param rollout the automatic rollout
 */
public record LifecycleState(String migrationId, LifecyclePhase phase, double livePercent, long version,
                             Instant updatedAt, String updatedBy, String lastMove, RolloutState rollout) {
    /** The state of a migration no move was made for. */
    static LifecycleState initial(String migrationId) {
        return new LifecycleState(migrationId, LifecyclePhase.PLANNED, 0.0, 0, null, null, null, RolloutState.IDLE);
    }

    /** The phase in words, e.g. {@code live 10.0%}. */
    public String describe() {
        return phase == LifecyclePhase.LIVE ? phase.value() + " " + livePercent + "%" : phase.value();
    }
}
