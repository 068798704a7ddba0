package dev.flagway.lifecycle;

import dev.flagway.RolloutPlan;
import dev.flagway.Migration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The automatic rollout part of a {@link MigrationStatus}: the plan, where the rollout stands, the next
 * step and when it is due, the cap, the last judgement or halt reason, what an operator must set where
 * Flagway cannot write the flag, and each instance's health from the fleet health table.
 *
 * @param plan the migration's rollout plan
 * @param status where the automatic rollout stands
 * @param currentStep the share reading modern now (the live percentage), 0 outside live
 * @param nextStep the share the controller moves to next, or null when none (not running, at the cap or done)
 * @param nextStepDue when the next step is due if the fleet stays healthy, or null
 * @param cap the highest share the controller may move to (100 when not capped)
 * @param note the controller's last judgement, or why the rollout halted or ended, or null
 * @param judgement the fleet's health since the current step started, judged now, or null when not running
 * @param flagInstruction what an operator must set in a flag store Flagway cannot write, or null
 * @param instances each instance's health since the current step started (the last 5 minutes when no
 *     step is under way)
 */
public record RolloutReport(RolloutPlan plan, RolloutStatus status, double currentStep, Double nextStep,
                            Instant nextStepDue, double cap, String note, String judgement, String flagInstruction,
                            List<InstanceHealth> instances) {
    /** How far back the instances' health is shown when no step is under way. */
    static final Duration RECENT = Duration.ofMinutes(5);

    /** Copies the list. */
    public RolloutReport {
        instances = List.copyOf(instances);
    }

    static RolloutReport of(MigrationLifecycles owner, Migration migration, LifecycleState state, Instant now) {
        RolloutPlan plan = migration.rolloutPlan();
        RolloutState rollout = state.rollout();
        double current = state.phase() == LifecyclePhase.LIVE ? state.livePercent() : 0.0;
        Double next = null;
        Instant due = null;
        String judgement = null;
        List<InstanceHealth> instances;
        if (rollout.stepStartedAt() != null) {
            RolloutJudgement j = owner.judge(migration, state, now);
            instances = j.instances();
            judgement = j.breach() != null ? "breach: " + j.breach() : "healthy so far: " + j.evidence();
            next = RolloutController.nextShare(plan, state).orElse(null);
            due = rollout.running() ? rollout.stepStartedAt().plus(plan.hold()) : null;
        } else {
            instances = owner.fleetHealth.since(migration.id(), now.minus(RECENT));
        }
        String instruction = owner.flags.writable() || state.phase().ordinal() < LifecyclePhase.EXPANDED.ordinal()
                ? null : instruction(migration, state, next, due);
        return new RolloutReport(plan, rollout.status(), current, next, due, rollout.cap(), rollout.note(),
                judgement, instruction, instances);
    }

    /** E.g. {@code set flag users-email to shadow, live to 10.0% of keys now; then ... at ...}. */
    private static String instruction(Migration migration, LifecycleState state, Double next, Instant due) {
        FlagPosition now = state.phase() == LifecyclePhase.LIVE ? MigrationLifecycle.livePosition(state.livePercent())
                : FlagPosition.everyKey(state.phase().stage());
        String text = "Flagway cannot write flag '" + migration.flagKey() + "': set it to " + now.describe()
                + " now (since " + state.updatedAt() + ")";
        if (next != null && due != null) {
            text += "; if the fleet stays healthy, to " + MigrationLifecycle.livePosition(next).describe() + " at "
                    + due + " (the controller will say so here)";
        }
        return text;
    }
}
