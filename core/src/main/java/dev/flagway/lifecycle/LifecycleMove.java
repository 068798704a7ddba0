package dev.flagway.lifecycle;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The moves of a {@link MigrationLifecycle} and the phases each may start from. This table is the
 * one place the legal order lives; a move may also need evidence (a completed backfill, a passing
 * verification) that {@link MigrationLifecycle} checks on top.
 */
public enum LifecycleMove {
    /** Adds the new column (and the declared expand steps): {@code planned -> expanded}. */
    EXPAND(EnumSet.of(LifecyclePhase.PLANNED)),
    /** Writes both columns: {@code expanded -> dual_write}. */
    START_DUAL_WRITE(EnumSet.of(LifecyclePhase.EXPANDED)),
    /** Fills the new column from legacy; the phase does not change. Only while both columns are written. */
    BACKFILL(EnumSet.range(LifecyclePhase.DUAL_WRITE, LifecyclePhase.RAMP_DOWN)),
    /** Compares every row; the phase does not change. At {@code complete} it is kept but is not evidence. */
    VERIFY(EnumSet.range(LifecyclePhase.DUAL_WRITE, LifecyclePhase.COMPLETE)),
    /**
     * Makes the new column NOT NULL, lock-safely per server; the phase does not change. Only for a
     * migration that declares it ({@code new-column-not-null}), after a completed backfill and a passing
     * verification, while legacy is written.
     */
    ENFORCE_NOT_NULL(EnumSet.range(LifecyclePhase.DUAL_WRITE, LifecyclePhase.RAMP_DOWN)),
    /** Compares a sample of reads: {@code dual_write -> shadow}, after a completed backfill. */
    SHADOW(EnumSet.of(LifecyclePhase.DUAL_WRITE)),
    /**
     * Serves modern reads to a share of keys: from {@code shadow} or {@code live} (a new share), after a
     * passing verification.
     */
    LIVE(EnumSet.of(LifecyclePhase.SHADOW, LifecyclePhase.LIVE)),
    /** Serves modern reads to every key, rollout cleared: from {@code live} at 100%. */
    RAMP_DOWN(EnumSet.of(LifecyclePhase.LIVE)),
    /** Stops writing legacy, rollout cleared: from {@code ramp_down}. One-way. */
    COMPLETE(EnumSet.of(LifecyclePhase.RAMP_DOWN)),
    /** Drops the legacy column through the contract gate: from {@code complete}. */
    CONTRACT(EnumSet.of(LifecyclePhase.COMPLETE)),
    /** Back to legacy reads, rollout cleared, flag enabled: from {@code shadow}, {@code live}, {@code ramp_down}. */
    ROLLBACK_TO_DUAL_WRITE(EnumSet.of(LifecyclePhase.SHADOW, LifecyclePhase.LIVE, LifecyclePhase.RAMP_DOWN)),
    /** Flag to {@code off} and the expand undone: from {@code expanded} or {@code dual_write}. */
    UNDO_EXPAND(EnumSet.of(LifecyclePhase.EXPANDED, LifecyclePhase.DUAL_WRITE)),
    /**
     * Starts the automatic rollout: from {@code shadow} or {@code live} with no rollout running or paused,
     * after the evidence {@code live} needs; the flag goes to the plan's first step above the current share.
     */
    START_ROLLOUT(EnumSet.of(LifecyclePhase.SHADOW, LifecyclePhase.LIVE),
            EnumSet.of(RolloutStatus.IDLE, RolloutStatus.HALTED, RolloutStatus.DONE)),
    /** Holds the running automatic rollout at its share: from {@code live} with the rollout running. */
    PAUSE_ROLLOUT(EnumSet.of(LifecyclePhase.LIVE), EnumSet.of(RolloutStatus.RUNNING)),
    /** Resumes a paused automatic rollout, restarting the current step's hold: from {@code live}, paused. */
    RESUME_ROLLOUT(EnumSet.of(LifecyclePhase.LIVE), EnumSet.of(RolloutStatus.PAUSED)),
    /**
     * Sets the highest share the controller may move to: from {@code live} with the rollout running or
     * paused. A cap below the current share is refused (lower the share with {@code live}, which ends the
     * automatic rollout).
     */
    CAP_ROLLOUT(EnumSet.of(LifecyclePhase.LIVE), EnumSet.of(RolloutStatus.RUNNING, RolloutStatus.PAUSED));

    private final Set<LifecyclePhase> from;
    private final Set<RolloutStatus> rollout;

    LifecycleMove(Set<LifecyclePhase> from) {
        this(from, EnumSet.allOf(RolloutStatus.class));
    }

    LifecycleMove(Set<LifecyclePhase> from, Set<RolloutStatus> rollout) {
        this.from = from;
        this.rollout = rollout;
    }

    /** Whether the move may start from {@code phase} (evidence and the automatic rollout's status aside). */
    public boolean allowedFrom(LifecyclePhase phase) {
        return from.contains(phase);
    }

    /** Whether the move may start from {@code state}: its phase and its automatic rollout's status (evidence aside). */
    public boolean allowedFrom(LifecycleState state) {
        return from.contains(state.phase()) && rollout.contains(state.rollout().status());
    }

    /** The rollout statuses the move may start from. */
    Set<RolloutStatus> rolloutStatuses() {
        return rollout;
    }

    /**
     * The moves that may start from {@code state}, in lifecycle order; {@link #ENFORCE_NOT_NULL} only
     * when {@code notNullDeclared}.
     */
    public static List<LifecycleMove> from(LifecycleState state, boolean notNullDeclared) {
        return java.util.Arrays.stream(values())
                .filter(m -> m.allowedFrom(state) && (notNullDeclared || m != ENFORCE_NOT_NULL)).toList();
    }

    /** The lower-case name with dashes, e.g. {@code start-dual-write}, as audited. */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

}
