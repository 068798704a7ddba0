package dev.flagway.lifecycle;

import dev.flagway.RolloutPlan;
import dev.flagway.Migration;
import dev.flagway.Stage;
import dev.flagway.backfill.BackfillListener;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillState;
import dev.flagway.backfill.Checkpoint;
import dev.flagway.backfill.Transform;
import dev.flagway.contract.ContractDecision;
import dev.flagway.contract.ContractGate;
import dev.flagway.contract.ContractRefusedException;
import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.tables.TableSetup;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.schema.AuditEvent;
import dev.flagway.schema.DdlException;
import dev.flagway.schema.ExpandRollback;
import dev.flagway.schema.RollbackPlan;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.schema.StatementOutcome;
import dev.flagway.verify.VerificationLog;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.Verifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One migration's lifecycle, from expand to contract, with legal moves only. Its state lives in the
 * lifecycle table shared by the fleet, so every instance sees the same phase; each move is one call
 * that checks the phase and the evidence it needs, claims the move with an optimistic version (a
 * concurrent move from another instance gets a {@link LifecycleConflictException}, nothing of it
 * applied), then sets everything the move implies (flag base stage, rollout and enabled state in one
 * flag change; the DDL; the backfill) and records it in the audit log with the actor and the reason.
 * A move whose action fails is undone in the lifecycle table and audited as failed.
 *
 * <pre>
 * planned --expand--> expanded --start-dual-write--> dual_write --shadow--> shadow --live N%--> live
 *    ^                   |                            |  ^                     |                 |
 *    +----undo-expand----+----------------------------+  +---rollback-to-dual-write--------------+
 * live 100% --ramp-down--> ramp_down --complete--> complete --contract--> contracted
 * </pre>
 *
 * Backfill runs while both columns are written (dual_write to ramp_down) and verify from dual_write to
 * complete. {@code complete} is one-way: Flagway does not copy the new column back into the legacy one,
 * so going back, backfilling or re-verifying into the evidence after it are refused. Obtain instances
 * from {@link MigrationLifecycles#lifecycle(String)}; thread-safe.
 */
public final class MigrationLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationLifecycle.class);
    private static final String ONE_WAY = "complete is one-way: legacy has not been written since, and Flagway does "
            + "not copy the new column back into the legacy one (no reverse backfill), so legacy reads would return "
            + "stale values";

    private final MigrationLifecycles owner;
    private final Migration migration;
    private final List<SchemaOperation> expand;
    private final Transform transform;
    private final ContractGate gate;
    private final VerificationLog verifications;
    private final LifecycleBackfill backfills;
    private final SchemaExecutor executor;

    MigrationLifecycle(MigrationLifecycles owner, Migration migration, List<SchemaOperation> expand, Transform transform,
                       ContractGate gate, VerificationLog verifications, SchemaExecutor executor) {
        this.owner = owner;
        this.migration = migration;
        this.expand = List.copyOf(expand);
        this.transform = transform;
        this.gate = gate;
        this.verifications = verifications;
        this.backfills = new LifecycleBackfill(owner, migration, transform);
        this.executor = executor;
    }

    /** The migration. */
    public Migration migration() {
        return migration;
    }

    /** The persisted state, read now. */
    public LifecycleState state() {
        return owner.store.load(migration.id());
    }

    /** The moves the current phase allows (evidence aside). */
    public List<LifecycleMove> legalMoves() {
        return legalMoves(state());
    }

    /**
     * The moves {@code state} allows for this migration (evidence aside): its phase, its automatic
     * rollout's status, and the declared steps (a NOT NULL step only when declared).
     */
    public List<LifecycleMove> legalMoves(LifecycleState state) {
        return LifecycleMove.from(state, migration.newColumnNotNull());
    }

    /** The migration's flag as it is now, or empty when it does not exist yet. */
    public Optional<FlagPosition> flag() {
        return owner.flags.read(migration.flagKey());
    }

    /**
     * The DDL of the migration, nothing run: the expand steps, their rollback, and the contract.
     */
    public String script() {
        return "-- expand\n" + executor.script(expand)
                + (migration.newColumnNotNull() ? "\n-- enforce not null (after a passing verification, dual_write to "
                + "ramp_down)\n" + notNullScript() : "")
                + "\n-- undo expand (while off or dual_write)\n" + rollbackPlan().script()
                + "\n-- contract (after complete and the contract gate)\n"
                + executor.script(List.of(contractOperation()));
    }

    // ---------------------------------------------------------------- moves

    /** Adds the new column and the declared expand steps, and creates the flag at {@code off}. */
    public LifecycleState expand(String actor, String reason) {
        return phaseMove(LifecycleMove.EXPAND, actor, reason, LifecyclePhase.EXPANDED, 0.0, s -> null, claimed -> {
            executor.apply(expand);
            writeFlag(FlagPosition.everyKey(Stage.OFF), actor, reason);
        });
    }

    /** Starts writing both columns: the flag serves {@code dual_write} to every key. */
    public LifecycleState startDualWrite(String actor, String reason) {
        return flagMove(LifecycleMove.START_DUAL_WRITE, actor, reason, LifecyclePhase.DUAL_WRITE, 0.0, s -> null,
                FlagPosition.everyKey(Stage.DUAL_WRITE));
    }

    /**
     * Runs the backfill to its end on the calling thread. Refused unless both columns are written
     * (dual_write to ramp_down); after complete it would overwrite acknowledged writes with stale legacy values.
     * It writes every row whose new value is NULL or differs from the transform of its legacy value
     * (rows go stale while the flip to dual_write reaches the instances one by one); after a failed
     * verification it walks the whole table again, so that backfill, then verify, repairs what the
     * verification found.
     */
    public BackfillResult backfill(String actor, String reason) {
        return backfill(actor, reason, null);
    }

    /**
     * Runs the backfill to its end on the calling thread, reporting its progress to {@code listener}
     * after every batch and state change (on this thread; keep it quick). Right after
     * {@code start-dual-write} it first waits until one flag propagation interval has passed since that
     * move (every instance writes both columns by then; see
     * {@link MigrationLifecycles.Builder#flagPropagation}); when more than a minute of it is left, it is
     * refused, saying when it may start. {@link #pauseBackfill()} pauses it at its checkpoint.
     *
     * @param listener the progress listener, or null
     */
    public BackfillResult backfill(String actor, String reason, BackfillListener listener) {
        LifecycleState state = check(LifecycleMove.BACKFILL, actor, reason, backfills::tooEarly);
        backfills.awaitPropagation(state);
        boolean walkAgain = verifications.lastWhileLegacyWritten(migration.id()).filter(e -> !e.passed()).isPresent();
        return inPlace(LifecycleMove.BACKFILL, state, actor, reason, () -> backfills.run(listener, walkAgain),
                result -> result.state() + ", " + result.rowsDone() + " rows walked" + (walkAgain
                        ? " again after the failed verification" : "") + ", " + result.rowsUpdated() + " written");
    }

    /**
     * Makes the new column NOT NULL, the step the migration declares with {@code new-column-not-null}:
     * on PostgreSQL a {@code CHECK (column IS NOT NULL) NOT VALID}, its {@code VALIDATE CONSTRAINT}
     * (no write lock), {@code SET NOT NULL} (proven by the check, no scan) and the check dropped; on
     * MySQL and MariaDB the online {@code MODIFY} the DDL planner allows, refused when it would copy the
     * table. Legal from dual_write to ramp_down after a completed backfill and a passing verification
     * taken while legacy was written; the phase does not change. Undo-expand drops the column with it.
     */
    public List<StatementOutcome> enforceNotNull(String actor, String reason) {
        LifecycleState state = check(LifecycleMove.ENFORCE_NOT_NULL, actor, reason, s -> {
            if (!migration.newColumnNotNull()) {
                return "migration '" + migration.id() + "' declares no NOT NULL step: set flagway.migrations."
                        + migration.id() + ".new-column-not-null=true";
            }
            String missing = backfillNotCompleted("rows it has not reached still hold NULL");
            return missing != null ? missing : verificationNotPassed();
        });
        return inPlace(LifecycleMove.ENFORCE_NOT_NULL, state, actor, reason, () -> executor.apply(notNullSteps()),
                outcome -> migration.newColumn() + " is NOT NULL (" + outcome.size() + " statements)");
    }

    /** A move that keeps the phase: claims it, does the work, audits the outcome or the failure. */
    private <T> T inPlace(LifecycleMove move, LifecycleState state, String actor, String reason,
                          java.util.function.Supplier<T> work, java.util.function.Function<T, String> outcome) {
        LifecycleState claimed = owner.store.compareAndSet(state, move, state.phase(), state.livePercent(),
                actor.strip(), move.value() + ": " + reason.strip(), state.rollout());
        try {
            T result = work.get();
            audit(move, actor, "at " + state.describe() + ": " + outcome.apply(result) + "; reason: " + reason
                    + "; lifecycle version " + claimed.version());
            return result;
        } catch (RuntimeException e) {
            audit(move.value() + "-failed", actor, e.getMessage() + "; reason: " + reason);
            throw e;
        }
    }

    /** The NOT NULL step's statements; on servers whose planner reads the column, said so before it exists. */
    private String notNullScript() {
        try {
            return executor.script(notNullSteps());
        } catch (DdlException e) {
            return "-- planned when it runs: " + e.getMessage() + "\n";
        }
    }

    private List<SchemaOperation> notNullSteps() {
        return List.of(SchemaOperation.setNotNull(migration.table(), migration.newColumn()));
    }

    /**
     * Pauses the backfill this instance runs after its current batch, with its checkpoint recorded as
     * {@code PAUSED}; the next {@link #backfill} continues from there.
     *
     * @return whether a backfill was running here
     */
    public boolean pauseBackfill() {
        return backfills.pause();
    }

    /**
     * The Markdown runbook of the migration's live state, to paste into an incident or change ticket:
     * the state with backfill progress and lock blockers, the rollback of the current phase, the next
     * moves (as {@code flagway} commands and calls), the evidence the contract gate judges, the flag's
     * states and audit trail, the lifecycle's audit trail, the DDL applied (with versions and times)
     * and planned, and this server's diagnostic queries for the table.
     */
    public String runbook() {
        return new LifecycleRunbook(owner, this).markdown();
    }

    /**
     * Verifies every row and keeps the report in the verification history with the stage it ran in.
     * At {@code complete}, legacy is no longer written: rows written since differ by design, so the
     * report is kept but does not replace the evidence the gate judges (the last verification taken
     * while legacy was written).
     */
    public VerificationReport verify(String actor, String reason) {
        LifecycleState before = check(LifecycleMove.VERIFY, actor, reason, s -> null);
        VerificationReport report = Verifier.builder(migration, owner.dataSource, owner.dialect).transform(transform)
                .settings(owner.verifySettings(migration.id())).clock(owner.clock).build().verify();
        LifecycleState after = state();
        // a move during the run: the later stage is the one the comparison may have seen
        Stage stage = after.phase().ordinal() > before.phase().ordinal() ? after.phase().stage() : before.phase().stage();
        verifications.record(report, stage);
        String note = stage.writesLegacy() ? "" : " (taken at complete: legacy is no longer written, so rows written "
                + "since complete differ by design; kept in the history, not used by the contract gate)";
        if (!note.isEmpty()) {
            LOG.info("Verification of migration '{}' at complete{}", migration.id(), note);
        }
        audit(LifecycleMove.VERIFY, actor, "at " + stage.flagValue() + ": " + report.summary() + note + "; reason: "
                + reason);
        return report;
    }

    /** Starts comparing a sample of reads: the flag serves {@code shadow}. Needs a completed backfill. */
    public LifecycleState shadow(String actor, String reason) {
        return flagMove(LifecycleMove.SHADOW, actor, reason, LifecyclePhase.SHADOW, 0.0, s -> {
            String flag = flagDisabled();
            return flag != null ? flag : backfillNotCompleted("shadow compares sampled reads, and rows not yet "
                    + "backfilled would all be reported as mismatches");
        }, FlagPosition.everyKey(Stage.SHADOW));
    }

    /**
     * Serves modern reads to {@code percent}% of keys (the others stay in shadow); at 100 every key is
     * live. Needs a passing verification taken while legacy was written.
     *
     * @param percent in (0, 100]
     */
    public LifecycleState live(double percent, String actor, String reason) {
        if (!(percent > 0.0 && percent <= 100.0)) {
            throw new IllegalArgumentException("live share must be in (0, 100] percent but was " + percent);
        }
        FlagPosition target = percent == 100.0 ? FlagPosition.everyKey(Stage.LIVE)
                : FlagPosition.rollout(Stage.SHADOW, Stage.LIVE, percent);
        return flagMove(LifecycleMove.LIVE, actor, reason, LifecyclePhase.LIVE, percent, s -> {
            if (s.phase() == LifecyclePhase.LIVE && s.livePercent() == percent) {
                return "already live to " + percent + "% of keys";
            }
            String flag = flagDisabled();
            return flag != null ? flag : verificationNotPassed();
        }, target);
    }

    /** Serves modern reads to every key with the rollout cleared: from live at 100%. */
    public LifecycleState rampDown(String actor, String reason) {
        return flagMove(LifecycleMove.RAMP_DOWN, actor, reason, LifecyclePhase.RAMP_DOWN, 0.0, s -> {
            if (s.livePercent() != 100.0) {
                return "ramp down serves modern reads to every key; raise live to 100% first (now " + s.livePercent()
                        + "%)";
            }
            return flagDisabled();
        }, FlagPosition.everyKey(Stage.RAMP_DOWN));
    }

    /**
     * Stops writing legacy, rollout cleared: from ramp_down, with a completed (not running) backfill, a
     * passing verification taken while legacy was written, no write pending repair and no unresolved bad
     * row (the keys of both are read from legacy until complete). One-way.
     */
    public LifecycleState complete(String actor, String reason) {
        return flagMove(LifecycleMove.COMPLETE, actor, reason, LifecyclePhase.COMPLETE, 0.0, s -> {
            String missing = flagDisabled();
            if (missing == null) {
                missing = backfillNotCompleted("complete stops writing legacy");
            }
            if (missing == null) {
                missing = verificationNotPassed();
            }
            if (missing == null) {
                long repairs = pendingRepairs();
                if (repairs > 0) {
                    missing = repairs + " rows whose new-column write failed are pending repair in "
                            + repairLog().tableName() + "; their keys are served from legacy until complete, and "
                            + "would read a stale new column after it: run the backfill, which drains them, first";
                }
            }
            if (missing == null) {
                long bad = unresolvedBadRows();
                if (bad > 0) {
                    missing = bad + " rows the backfill could not migrate are unresolved in " + badRowLog().tableName()
                            + "; their keys are served from legacy until complete, and would read an empty new "
                            + "column after it: resolve them first";
                }
            }
            return missing;
        }, FlagPosition.everyKey(Stage.COMPLETE));
    }

    /**
     * Drops the legacy column when the contract gate allows it.
     *
     * @throws ContractRefusedException listing every unmet condition
     */
    public List<StatementOutcome> contract(String actor, String reason) {
        List<List<StatementOutcome>> outcome = new ArrayList<>(1);
        phaseMove(LifecycleMove.CONTRACT, actor, reason, LifecyclePhase.CONTRACTED, 0.0, s -> {
            ContractDecision decision = gate.evaluate();
            if (!decision.allowed()) {
                throw new ContractRefusedException(decision);
            }
            return null;
        }, claimed -> outcome.add(gate.contract(actor.strip())));
        return outcome.get(0);
    }

    /**
     * Drops the legacy column whatever the gate says; the reason and the unmet conditions are audited.
     */
    public List<StatementOutcome> forceContract(String actor, String reason) {
        List<List<StatementOutcome>> outcome = new ArrayList<>(1);
        phaseMove(LifecycleMove.CONTRACT, actor, reason, LifecyclePhase.CONTRACTED, 0.0, s -> null,
                claimed -> outcome.add(gate.forceContract(actor.strip(), reason)));
        return outcome.get(0);
    }

    /** The contract gate's decision now, with every condition. */
    public ContractDecision gate() {
        return gate.evaluate();
    }

    /** Back to legacy reads: the flag serves {@code dual_write} to every key, rollout cleared, enabled again. */
    public LifecycleState rollbackToDualWrite(String actor, String reason) {
        return flagMove(LifecycleMove.ROLLBACK_TO_DUAL_WRITE, actor, reason, LifecyclePhase.DUAL_WRITE, 0.0, s -> null,
                FlagPosition.everyKey(Stage.DUAL_WRITE));
    }

    /**
     * Undoes the expand: the flag goes to {@code off}, then the expand steps are reversed (the new column
     * dropped) and the backfill's checkpoint reset. From expanded or dual_write.
     */
    public LifecycleState undoExpand(String actor, String reason) {
        return phaseMove(LifecycleMove.UNDO_EXPAND, actor, reason, LifecyclePhase.PLANNED, 0.0, s -> null, claimed -> {
            if (!owner.flags.writable() || owner.flags.read(migration.flagKey()).isPresent()) {
                writeFlag(FlagPosition.everyKey(Stage.OFF), actor, reason);
            }
            new ExpandRollback(executor, owner.audit, owner.clock).execute(rollbackPlan(), Stage.OFF,
                    actor.strip());
            owner.checkpoints.reset(migration.id());
        });
    }

    // ---------------------------------------------------------------- automatic rollout

    /**
     * Starts the automatic rollout of the migration's {@link RolloutPlan}: the flag goes live to the plan's
     * first step above the current share (from shadow: the first step), and the rollout controller of the
     * fleet judges the fleet's health each tick, moves to the next step after each healthy hold (never
     * past a {@linkplain #capRollout cap}), and on a breach rolls back to dual_write and halts. At 100% the
     * rollout is done; ramp down and complete stay the operator's moves ({@code complete} is one-way).
     * From shadow or live, with the evidence {@code live} needs (a passing verification, an enabled
     * flag); a new start clears the cap. Where the flag store is not {@linkplain FlagWriter#writable()
     * writable}, the lifecycle records each step and {@link #status()} says what to set and when.
     */
    public LifecycleState startRollout(String actor, String reason) {
        RolloutPlan plan = migration.rolloutPlan();
        double[] first = new double[1];
        Guard guard = s -> {
            double current = s.phase() == LifecyclePhase.LIVE ? s.livePercent() : 0.0;
            java.util.Optional<Double> step = plan.stepAfter(current);
            if (step.isEmpty()) {
                return "live is at " + RolloutPlan.percent(current) + ", at or past the plan's last step ("
                        + plan.describe() + "): nothing to roll out";
            }
            first[0] = step.get();
            String flag = flagDisabled();
            return flag != null ? flag : verificationNotPassed();
        };
        LifecycleState from = check(LifecycleMove.START_ROLLOUT, actor, reason, guard);
        double percent = first[0];
        return phaseMove(LifecycleMove.START_ROLLOUT, actor, reason, LifecyclePhase.LIVE, percent,
                s -> s.version() == from.version() ? null : "the lifecycle moved meanwhile; look again",
                (s, now) -> new RolloutState(RolloutStatus.RUNNING, 100.0, now, "started by " + actor.strip()
                        + " at " + RolloutPlan.percent(percent) + " of plan " + plan.describe()),
                claimed -> writeFlag(livePosition(percent), actor, reason));
    }

    /** Holds the running automatic rollout at its current share until {@link #resumeRollout resumed}. */
    public LifecycleState pauseRollout(String actor, String reason) {
        return rolloutMove(LifecycleMove.PAUSE_ROLLOUT, actor, reason, s -> null, (s, now) -> s.rollout()
                .with(RolloutStatus.PAUSED, s.rollout().stepStartedAt(), "paused by " + actor.strip() + ": "
                        + reason.strip()));
    }

    /** Resumes a paused automatic rollout; the current step's hold starts again now. */
    public LifecycleState resumeRollout(String actor, String reason) {
        return rolloutMove(LifecycleMove.RESUME_ROLLOUT, actor, reason, s -> null, (s, now) -> s.rollout()
                .with(RolloutStatus.RUNNING, now, "resumed by " + actor.strip() + ": " + reason.strip()));
    }

    /**
     * Sets the highest share the controller may move the running or paused automatic rollout to (100
     * removes the cap). When the plan's next step is above the cap, the controller moves to the cap
     * itself, then holds there. A cap below the current share is refused: lower the share with
     * {@link #live}, which ends the automatic rollout.
     *
     * @param percent in (0, 100]
     */
    public LifecycleState capRollout(double percent, String actor, String reason) {
        if (!(percent > 0.0 && percent <= 100.0)) {
            throw new IllegalArgumentException("rollout cap must be a percent in (0, 100] but was " + percent);
        }
        return rolloutMove(LifecycleMove.CAP_ROLLOUT, actor, reason, s -> percent < s.livePercent()
                ? "cap " + RolloutPlan.percent(percent) + " is below the current share "
                        + RolloutPlan.percent(s.livePercent()) + ": the controller only moves up; lower the share with "
                        + "live, which ends the automatic rollout"
                : null, (s, now) -> s.rollout().withCap(percent, "capped at " + RolloutPlan.percent(percent) + " by "
                        + actor.strip() + ": " + reason.strip()));
    }

    /** The controller, after a healthy hold: the flag goes live to {@code percent}, the next step's hold starts. */
    LifecycleState advanceRollout(LifecycleState judged, double percent, String evidence) {
        return phaseMove(LifecycleMove.LIVE, RolloutController.ACTOR, "automatic rollout to "
                        + RolloutPlan.percent(percent) + ": " + evidence, LifecyclePhase.LIVE, percent,
                s -> s.version() == judged.version() ? flagDisabled() : "the lifecycle moved since it was judged",
                (s, now) -> s.rollout().with(RolloutStatus.RUNNING, now, "advanced to " + RolloutPlan.percent(percent)
                        + ": " + evidence),
                claimed -> writeFlag(livePosition(percent), RolloutController.ACTOR, "automatic rollout to "
                        + RolloutPlan.percent(percent)));
    }

    /** The controller, on a breach: the flag goes back to dual_write and the rollout halts with {@code breach}. */
    LifecycleState haltRollout(LifecycleState judged, String breach) {
        return phaseMove(LifecycleMove.ROLLBACK_TO_DUAL_WRITE, RolloutController.ACTOR, "automatic rollout halted: "
                        + breach, LifecyclePhase.DUAL_WRITE, 0.0,
                s -> s.version() == judged.version() ? null : "the lifecycle moved since it was judged",
                (s, now) -> s.rollout().with(RolloutStatus.HALTED, null, "halted at "
                        + RolloutPlan.percent(s.livePercent()) + ": " + breach),
                claimed -> writeFlag(FlagPosition.everyKey(Stage.DUAL_WRITE), RolloutController.ACTOR,
                        "automatic rollout halted: " + breach));
    }

    /** The controller, after a healthy hold at 100%: the rollout is done; the flag stays. */
    LifecycleState finishRollout(LifecycleState judged, String evidence) {
        LifecycleState done = owner.store.compareAndSet(judged, LifecycleMove.LIVE, judged.phase(),
                judged.livePercent(), RolloutController.ACTOR, "rollout done: " + evidence, judged.rollout()
                        .with(RolloutStatus.DONE, null, "done at 100%: " + evidence + "; ramp down and complete are "
                                + "the operator's moves"));
        audit("rollout-done", RolloutController.ACTOR, evidence);
        return done;
    }

    private LifecycleState rolloutMove(LifecycleMove move, String actor, String reason, Guard guard,
                                       RolloutChange change) {
        LifecycleState seen = state();
        return phaseMove(move, actor, reason, LifecyclePhase.LIVE, seen.livePercent(),
                s -> s.version() == seen.version() ? guard.missing(s) : "the lifecycle moved meanwhile; look again",
                change, claimed -> { });
    }

    /** The flag serving live to {@code percent}% of keys (shadow to the others), or to every key at 100. */
    static FlagPosition livePosition(double percent) {
        return percent == 100.0 ? FlagPosition.everyKey(Stage.LIVE) : FlagPosition.rollout(Stage.SHADOW, Stage.LIVE,
                percent);
    }

    /**
     * Where the migration stands now, with every input of the contract gate; {@link MigrationStatus#toJson()}
     * gives its stable JSON form.
     */
    public MigrationStatus status() {
        LifecycleState state = state();
        List<VerificationLog.Entry> history = verifications.history(migration.id());
        List<VerificationLog.Entry> latest = history.subList(Math.max(0, history.size()
                - MigrationStatus.VERIFICATIONS_SHOWN), history.size());
        Checkpoint checkpoint = owner.checkpoints.load(migration.id()).orElse(null);
        Instant now = owner.clock.instant();
        return new MigrationStatus(state, owner.flags.read(migration.flagKey()).orElse(null), checkpoint, latest,
                pendingRepairs(), unresolvedBadRows(), gate.evaluate(), legalMoves(state), now,
                backfills.estimate(state, checkpoint), backfills.blockers(), RolloutReport.of(owner, migration, state, now));
    }

    /** Every verification kept for this migration, oldest first, with the stage it ran in. */
    public List<VerificationLog.Entry> verifications() {
        return verifications.history(migration.id());
    }

    /** The backfill's checkpoint, or empty when it never ran. */
    public Optional<Checkpoint> backfillCheckpoint() {
        return owner.checkpoints.load(migration.id());
    }

    // ---------------------------------------------------------------- the move machinery

    /** Evidence a move needs: null when present, else why the move is refused. */
    @FunctionalInterface
    private interface Guard {
        String missing(LifecycleState state);
    }

    /** What a claimed move does; a failure undoes the claim. */
    @FunctionalInterface
    private interface Action {
        void run(LifecycleState claimed);
    }

    /** How a move changes the automatic rollout, given the state it starts from and the time of the move. */
    @FunctionalInterface
    private interface RolloutChange {
        RolloutState next(LifecycleState from, Instant now);
    }

    private LifecycleState flagMove(LifecycleMove move, String actor, String reason, LifecyclePhase to,
                                    double livePercent, Guard guard, FlagPosition target) {
        return phaseMove(move, actor, reason, to, livePercent, guard, endsRollout(move, actor, reason),
                claimed -> writeFlag(target, actor, reason));
    }

    private LifecycleState phaseMove(LifecycleMove move, String actor, String reason, LifecyclePhase to,
                                     double livePercent, Guard guard, Action action) {
        return phaseMove(move, actor, reason, to, livePercent, guard, endsRollout(move, actor, reason), action);
    }

    /**
     * A move an operator makes ends a running or paused automatic rollout; a halted one keeps its reason,
     * and a done one stays done as the migration goes forward (ramp down, complete, contract) and ends
     * only when the share is set by hand or rolled back.
     */
    private static RolloutChange endsRollout(LifecycleMove move, String actor, String reason) {
        return (from, now) -> switch (from.rollout().status()) {
            case RUNNING, PAUSED -> ended(move, actor, reason);
            case DONE -> move == LifecycleMove.RAMP_DOWN || move == LifecycleMove.COMPLETE
                    || move == LifecycleMove.CONTRACT ? from.rollout() : ended(move, actor, reason);
            case IDLE, HALTED -> from.rollout();
        };
    }

    private static RolloutState ended(LifecycleMove move, String actor, String reason) {
        return new RolloutState(RolloutStatus.IDLE, 100.0, null, "ended by " + move.value() + " (" + actor.strip()
                + "): " + reason.strip());
    }

    /** Writes the flag, or, in a store Flagway cannot write, logs what the operator must set. */
    private void writeFlag(FlagPosition target, String actor, String reason) {
        if (owner.flags.writable()) {
            owner.flags.write(migration.flagKey(), target, actor.strip(), reason.strip());
        } else {
            LOG.warn("Migration '{}': flag '{}' is in a store Flagway cannot write: set it to {} now ({})",
                    migration.id(), migration.flagKey(), target.describe(), reason.strip());
        }
    }

    private LifecycleState phaseMove(LifecycleMove move, String actor, String reason, LifecyclePhase to,
                                     double livePercent, Guard guard, RolloutChange rollout, Action action) {
        LifecycleState from = check(move, actor, reason, guard);
        String who = actor.strip();
        String why = reason.strip();
        String detail = from.describe() + " -> " + (to == LifecyclePhase.LIVE ? to.value() + " " + livePercent + "%"
                : to.value()) + "; reason: " + why;
        LifecycleState claimed = owner.store.compareAndSet(from, move, to, livePercent, who, move.value() + ": " + why,
                rollout.next(from, owner.clock.instant()));
        try {
            action.run(claimed);
        } catch (RuntimeException e) {
            try {
                owner.store.compareAndSet(claimed, move, from.phase(), from.livePercent(), who,
                        move.value() + " failed and was undone: " + e.getMessage(), from.rollout());
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            audit(move.value() + "-failed", who, detail + "; failed: " + e.getMessage());
            throw e;
        }
        audit(move, who, detail + "; lifecycle version " + claimed.version());
        LOG.info("Migration '{}': {} by {} ({})", migration.id(), move.value(), who, detail);
        return claimed;
    }

    /** Checks actor, reason, phase and evidence; returns the state read. */
    private LifecycleState check(LifecycleMove move, String actor, String reason, Guard guard) {
        requireText("actor", actor, move, "say who makes it");
        requireText("reason", reason, move, "say why, for the audit log");
        LifecycleState state = state();
        if (!move.allowedFrom(state.phase())) {
            throw refused(move, state, illegalReason(move, state.phase()));
        }
        if (!move.allowedFrom(state)) {
            throw refused(move, state, "the automatic rollout is " + state.rollout().status().value() + "; "
                    + move.value() + " needs it " + String.join(" or ", move.rolloutStatuses().stream()
                            .map(RolloutStatus::value).toList()));
        }
        String missing = guard.missing(state);
        if (missing != null) {
            throw refused(move, state, missing);
        }
        return state;
    }

    private IllegalMoveException refused(LifecycleMove move, LifecycleState state, String reason) {
        return new IllegalMoveException(migration.id(), move, state.phase(), reason, legalMoves(state));
    }

    private static String illegalReason(LifecycleMove move, LifecyclePhase phase) {
        if (!phase.writesLegacy()) {
            if (move == LifecycleMove.BACKFILL) {
                return "legacy is no longer written since complete: a backfill (with or without reverify) would "
                        + "overwrite the writes acknowledged since then with stale legacy values";
            }
            if (phase == LifecyclePhase.CONTRACTED) {
                return "the legacy column is dropped: the migration is over";
            }
            if (move != LifecycleMove.EXPAND) {
                return ONE_WAY;
            }
        }
        return switch (move) {
            case BACKFILL, VERIFY -> phase == LifecyclePhase.PLANNED || phase == LifecyclePhase.EXPANDED
                    ? "writes do not reach the new column yet: start dual write first"
                    : move.value() + " is legal only while both columns are written";
            case ROLLBACK_TO_DUAL_WRITE -> phase == LifecyclePhase.DUAL_WRITE ? "already at dual_write"
                    : "nothing reads the new column yet";
            case COMPLETE -> "complete stops writing legacy; it is reached only from ramp_down (every key reading "
                    + "modern with legacy as fallback), not from " + phase.value();
            case UNDO_EXPAND -> phase == LifecyclePhase.PLANNED ? "nothing is expanded"
                    : "the new column is read at " + phase.value() + ": roll back to dual_write first";
            default -> move.value() + " is legal only from " + fromPhases(move);
        };
    }

    private static String fromPhases(LifecycleMove move) {
        List<String> phases = new ArrayList<>();
        for (LifecyclePhase p : LifecyclePhase.values()) {
            if (move.allowedFrom(p)) {
                phases.add(p.value());
            }
        }
        return String.join(" or ", phases);
    }

    private static void requireText(String what, String value, LifecycleMove move, String hint) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(move.value() + " needs a non-blank " + what + ": " + hint);
        }
    }

    private String flagDisabled() {
        Optional<FlagPosition> flag = owner.flags.read(migration.flagKey());
        if (flag.isPresent() && !flag.get().enabled()) {
            return "flag '" + migration.flagKey() + "' is disabled (" + flag.get().disabledReason() + "), so it serves "
                    + "dual_write whatever the lifecycle says: find the cause, then roll back to dual_write, which "
                    + "enables it again";
        }
        return null;
    }

    private String backfillNotCompleted(String why) {
        Optional<Checkpoint> checkpoint = owner.checkpoints.load(migration.id());
        if (checkpoint.isEmpty()) {
            return "the backfill never ran (" + why + "): run backfill first";
        }
        if (checkpoint.get().state() != BackfillState.COMPLETED) {
            return "the backfill is " + checkpoint.get().state() + " after key " + checkpoint.get().lastKey() + ", not "
                    + "COMPLETED (" + why + "): run backfill to its end first";
        }
        return null;
    }

    private String verificationNotPassed() {
        Optional<VerificationLog.Entry> last = verifications.lastWhileLegacyWritten(migration.id());
        if (last.isEmpty()) {
            return "the migration was never verified: run verify first";
        }
        if (!last.get().passed()) {
            return "the last verification, at " + last.get().verifiedAt() + ", did not pass (" + last.get().summary()
                    + "): fix the rows and verify again";
        }
        return null;
    }

    private long pendingRepairs() {
        RepairLog repairLog = repairLog();
        try (Connection c = owner.dataSource.getConnection()) {
            TableSetup.ensure(owner.dataSource, c, owner.createTables, List.of(new Bookkeeping.Repairs(
                    Bookkeeping.name("repair table", repairLog.tableName())).definition()));
            return repairLog.pendingCount(c, migration.id());
        } catch (SQLException e) {
            throw new IllegalStateException("repair table " + repairLog.tableName() + " is not reachable: "
                    + e.getMessage(), e);
        }
    }

    private RepairLog repairLog() {
        return RepairLog.named(owner.backfillSettings.repairTable());
    }

    private long unresolvedBadRows() {
        BadRowLog log = badRowLog();
        try (Connection c = owner.dataSource.getConnection()) {
            TableSetup.ensure(owner.dataSource, c, owner.createTables, List.of(new Bookkeeping.BadRows(
                    Bookkeeping.name("bad-row table", log.tableName())).definition()));
            return log.unresolvedCount(c, migration.id());
        } catch (SQLException e) {
            throw new IllegalStateException("bad-row table " + log.tableName() + " is not reachable: " + e.getMessage(),
                    e);
        }
    }

    private BadRowLog badRowLog() {
        return BadRowLog.named(owner.backfillSettings.badRowTable());
    }

    private RollbackPlan rollbackPlan() {
        return new ExpandRollback(executor, owner.audit, owner.clock).plan(migration.id(), expand);
    }

    private SchemaOperation contractOperation() {
        return SchemaOperation.dropColumn(migration.table(), migration.legacyColumn());
    }

    private void audit(LifecycleMove move, String actor, String detail) {
        audit(move.value(), actor, detail);
    }

    private void audit(String action, String actor, String detail) {
        owner.audit.record(new AuditEvent(owner.clock.instant(), migration.id(), "lifecycle " + action, actor.strip(),
                detail));
    }

}
