package dev.flagway.lifecycle;

import dev.flagway.RolloutPlan;
import dev.flagway.Migration;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.dialect.RunnerLock;
import dev.flagway.internal.Durations;
import dev.flagway.internal.RateLimitedLogger;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The automatic rollout's controller of one {@link MigrationLifecycles} instance. Each tick, for every
 * migration whose rollout is running, it tries the fleet-wide runner lock of {@code <id>:rollout}
 * without waiting, so that one instance of the fleet judges at a time, then judges the fleet's health
 * since the current step started ({@link RolloutJudgement}): on a breach it rolls the flag back to
 * {@code dual_write} and halts the rollout with the breach as its reason; after a healthy hold (every
 * instance still publishing has reported past its end; with no instance publishing, nothing advances) it moves
 * to the plan's next step, never past the operator's cap (to the cap itself when the next step is
 * above it), and after a healthy hold at 100% it marks the rollout done. Its moves are the lifecycle's,
 * claimed with the same optimistic version (a move racing it wins or loses as a whole) and audited
 * with actor {@value #ACTOR}. Failures are logged at most once a minute and retried next tick.
 */
final class RolloutController {
    /** The actor of the controller's moves. */
    static final String ACTOR = "flagway-rollout";

    private static final RateLimitedLogger LOG = RateLimitedLogger.of(RolloutController.class,
            TimeUnit.MINUTES.toNanos(1));

    private final MigrationLifecycles owner;
    private final RunnerLock lock;

    RolloutController(MigrationLifecycles owner) {
        this.owner = owner;
        this.lock = owner.dialect.runnerLock(owner.dataSource);
    }

    /** Judges every running rollout whose lock this instance gets. */
    void tick() {
        for (MigrationRuntime runtime : owner.flagway.migrations()) {
            String id = runtime.migration().id();
            try {
                if (!owner.store.load(id).rollout().running()) {
                    continue;
                }
                Optional<RunnerLock.Lease> lease = lock.tryAcquire(id + ":rollout");
                if (lease.isPresent()) {
                    try {
                        judge(runtime.migration());
                    } finally {
                        lease.get().close();
                    }
                }
            } catch (RuntimeException | SQLException e) {
                LOG.warn("Rollout controller could not judge migration '{}'; retrying next tick: {}", id, e.toString());
            }
        }
    }

    /** Under the lock: judges the rollout of {@code migration} and makes the move the judgement calls for. */
    private void judge(Migration migration) {
        LifecycleState state = owner.store.load(migration.id());
        if (!state.rollout().running() || state.rollout().stepStartedAt() == null) {
            return;
        }
        Instant now = owner.clock.instant();
        RolloutJudgement judgement = owner.judge(migration, state, now);
        MigrationLifecycle lifecycle = owner.lifecycle(migration.id());
        if (judgement.breach() != null) {
            lifecycle.haltRollout(state, "breach: " + judgement.breach() + "; " + judgement.evidence());
            return;
        }
        RolloutPlan plan = migration.rolloutPlan();
        Instant holdEnd = state.rollout().stepStartedAt().plus(plan.hold());
        if (now.isBefore(holdEnd) || judgement.coveredUntil() == null || judgement.coveredUntil().isBefore(holdEnd)) {
            return; // the hold is not over, or not every publishing instance has reported on all of it yet
        }
        String healthy = "healthy for " + Durations.format(plan.hold()) + " at " + RolloutPlan.percent(state.livePercent()) + ": " + judgement.evidence();
        Optional<Double> next = nextShare(plan, state);
        if (next.isPresent()) {
            lifecycle.advanceRollout(state, next.get(), healthy);
        } else if (state.livePercent() >= 100.0) {
            lifecycle.finishRollout(state, healthy);
        }
    }

    /** The share after the current one: the plan's next step, or the cap when that step is above it; empty at the cap. */
    static Optional<Double> nextShare(RolloutPlan plan, LifecycleState state) {
        double cap = state.rollout().cap();
        return plan.stepAfter(state.livePercent()).map(step -> Math.min(step, cap))
                .filter(share -> share > state.livePercent());
    }
}
