package dev.flagway.lifecycle;

import dev.flagway.Migration;
import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillListener;
import dev.flagway.backfill.BackfillProgress;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillState;
import dev.flagway.backfill.Checkpoint;
import dev.flagway.backfill.Transform;
import dev.flagway.dialect.HealthSignal;
import dev.flagway.schema.SessionInfo;
import dev.flagway.internal.Durations;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backfill side of one lifecycle: runs it with the migration's settings and a progress listener,
 * pauses the run of this instance on request, waits until every instance can have seen
 * {@code dual_write} before the first batch, and estimates progress and lock blockers for the status.
 */
final class LifecycleBackfill {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleBackfill.class);
    /** Longer than this left of the flag propagation, the backfill is refused rather than waited for. */
    static final Duration MAX_PROPAGATION_WAIT = Duration.ofMinutes(1);

    private final MigrationLifecycles owner;
    private final Migration migration;
    private final Transform transform;
    private volatile Backfill running;
    private volatile boolean pauseRequested;
    private volatile BackfillProgress last;

    LifecycleBackfill(MigrationLifecycles owner, Migration migration, Transform transform) {
        this.owner = owner;
        this.migration = migration;
        this.transform = transform;
    }

    /**
     * Why the backfill may not start yet at {@code state}, or null: the flag moved to {@code dual_write}
     * less than one flag propagation interval ago, and waiting the rest would take longer than
     * {@link #MAX_PROPAGATION_WAIT}.
     */
    String tooEarly(LifecycleState state) {
        Instant from = dualWriteSince(state);
        if (from == null) {
            return null;
        }
        Instant allowed = from.plus(owner.flagPropagation);
        Duration left = Duration.between(owner.clock.instant(), allowed);
        if (left.compareTo(MAX_PROPAGATION_WAIT) <= 0) {
            return null;
        }
        return "dual_write was set at " + from + " and other instances may keep writing legacy only for up to one "
                + "flag refresh interval (" + Durations.format(owner.flagPropagation) + "): rows they write "
                + "meanwhile would miss the new column after the backfill passed them; the backfill may start at "
                + allowed;
    }

    /** Sleeps until one flag propagation interval has passed since the {@code dual_write} move. */
    void awaitPropagation(LifecycleState state) {
        Instant from = dualWriteSince(state);
        if (from == null) {
            return;
        }
        Instant allowed = from.plus(owner.flagPropagation);
        Duration left = Duration.between(owner.clock.instant(), allowed);
        if (left.isNegative() || left.isZero()) {
            return;
        }
        LOG.info("Backfill of migration '{}' waits {} until every instance can have seen dual_write (set at {})",
                migration.id(), Durations.format(left), from);
        while (left.compareTo(Duration.ZERO) > 0) {
            try {
                Thread.sleep(Math.max(1, left.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for dual_write to reach every instance", e);
            }
            left = Duration.between(owner.clock.instant(), allowed);
        }
    }

    /** When the last move set {@code dual_write} (the time the lifecycle table keeps), or null when it was another. */
    private static Instant dualWriteSince(LifecycleState state) {
        String last = state.lastMove();
        return last != null && last.startsWith(LifecycleMove.START_DUAL_WRITE.value() + ":") ? state.updatedAt() : null;
    }

    /**
     * Runs the backfill on the calling thread, reporting to {@code listener} (may be null), watching the
     * dialect's health signals and the factory's {@link BackfillHealthSignals} made for this run.
     *
     * <p>It re-derives every row whose new value differs from the transform of its legacy value, not
     * only the NULL ones: legacy is the truth in every phase a backfill may run in, and rows do go stale
     * around the flip to dual_write, when instances that already write both columns and instances
     * still at off (the flag reaches them one refresh apart) write the same row in turn. With
     * {@code walkAgain}, a completed walk starts over from the first key, to repair the rows a failed
     * verification found behind it (a legacy-only write still in flight when the walk passed).
     */
    BackfillResult run(BackfillListener listener, boolean walkAgain) {
        if (walkAgain && owner.checkpoints.load(migration.id())
                .filter(c -> c.state() == BackfillState.COMPLETED).isPresent()) {
            LOG.info("Backfill of migration '{}' walks the whole table again: the last verification failed",
                    migration.id());
            owner.checkpoints.reset(migration.id());
        }
        Backfill.Builder builder = Backfill.builder(migration, owner.dataSource, owner.dialect)
                .settings(owner.backfillSettings(migration.id()).toBuilder().reverify(true).build())
                .transform(transform).clock(owner.clock)
                .listener(p -> {
                    last = p;
                    if (listener != null) {
                        listener.onProgress(p);
                    }
                });
        List<HealthSignal> extra = owner.backfillHealthSignals.forRun(migration);
        if (extra == null) {
            throw new IllegalStateException("the backfill health signals of migration '" + migration.id()
                    + "' were null; return an empty list for none");
        }
        extra.forEach(builder::addHealthSignal);
        Backfill backfill = builder.build();
        running = backfill;
        if (pauseRequested) {
            backfill.pause();
        }
        try {
            return backfill.run();
        } finally {
            running = null;
            pauseRequested = false;
        }
    }

    /** Asks the run of this instance to pause at its next checkpoint; false when none runs here. */
    boolean pause() {
        Backfill backfill = running;
        if (backfill == null) {
            return false;
        }
        pauseRequested = true;
        backfill.pause();
        return true;
    }

    /** The progress for the status: live when this instance runs it, else from the checkpoint. */
    BackfillEstimate estimate(LifecycleState state, Checkpoint checkpoint) {
        long total = estimatedRows();
        BackfillProgress live = running != null ? last : null;
        if (live != null) {
            return new BackfillEstimate(live.rowsDone(), live.rowsUpdated(), total, live.rowsPerSecond(), live.eta(),
                    live.throttleReason(), BackfillEstimate.LIVE);
        }
        if (checkpoint == null) {
            return new BackfillEstimate(0, 0, total, Double.NaN, null, null, BackfillEstimate.NONE);
        }
        if (checkpoint.state() == BackfillState.COMPLETED) {
            return new BackfillEstimate(checkpoint.rowsDone(), checkpoint.rowsUpdated(), total, Double.NaN,
                    Duration.ZERO, null, BackfillEstimate.NONE);
        }
        String lastMove = state.lastMove();
        boolean timed = checkpoint.state() == BackfillState.RUNNING && state.updatedAt() != null && lastMove != null
                && lastMove.startsWith(LifecycleMove.BACKFILL.value() + ":")
                && checkpoint.updatedAt().isAfter(state.updatedAt());
        if (!timed) {
            return new BackfillEstimate(checkpoint.rowsDone(), checkpoint.rowsUpdated(), total, Double.NaN, null, null,
                    BackfillEstimate.NONE);
        }
        double seconds = Duration.between(state.updatedAt(), checkpoint.updatedAt()).toMillis() / 1000.0;
        double rate = checkpoint.rowsDone() / seconds;
        Duration eta = total > checkpoint.rowsDone() && rate > 0
                ? Duration.ofMillis((long) ((total - checkpoint.rowsDone()) / rate * 1000)) : null;
        return new BackfillEstimate(checkpoint.rowsDone(), checkpoint.rowsUpdated(), total, rate, eta, null,
                BackfillEstimate.CHECKPOINT);
    }

    /** The sessions holding or queued for locks on the table; never fails, says why when it cannot read them. */
    LockBlockers blockers() {
        try (Connection c = owner.dataSource.getConnection()) {
            List<SessionInfo> sessions = owner.dialect.lockHolders(c, migration.tableName());
            return LockBlockers.of(sessions);
        } catch (SQLException | RuntimeException e) {
            return LockBlockers.unreadable("the lock diagnostics of " + owner.dialect.name() + " could not be read: "
                    + e.getMessage() + " (grant the role access to them, e.g. SELECT on performance_schema on MySQL)");
        }
    }

    private long estimatedRows() {
        try (Connection c = owner.dataSource.getConnection()) {
            return Math.max(0, owner.dialect.estimateRows(c, migration.tableName()));
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Row estimate of {} unavailable: {}", migration.table(), e.toString());
            return 0;
        }
    }
}
