package dev.flagway.lifecycle;

import dev.flagway.Migration;
import dev.flagway.Stage;
import dev.flagway.backfill.Backfill;
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
import dev.flagway.schema.ExpandRollback;
import dev.flagway.schema.RollbackPlan;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.schema.StatementOutcome;
import dev.flagway.verify.VerificationLog;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.Verifier;
import java.sql.Connection;
import java.sql.SQLException;
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

    MigrationLifecycle(MigrationLifecycles owner, Migration migration, List<SchemaOperation> expand, Transform transform,
                       ContractGate gate, VerificationLog verifications) {
        this.owner = owner;
        this.migration = migration;
        this.expand = List.copyOf(expand);
        this.transform = transform;
        this.gate = gate;
        this.verifications = verifications;
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
        return LifecycleMove.from(state().phase());
    }

    /** The migration's flag as it is now, or empty when it does not exist yet. */
    public Optional<FlagPosition> flag() {
        return owner.flags.read(migration.flagKey());
    }

    /**
     * The DDL of the migration, nothing run: the expand steps, their rollback, and the contract.
     */
    public String script() {
        return "-- expand\n" + owner.executor.script(expand)
                + "\n-- undo expand (while off or dual_write)\n" + rollbackPlan().script()
                + "\n-- contract (after complete and the contract gate)\n"
                + owner.executor.script(List.of(contractOperation()));
    }

    // ---------------------------------------------------------------- moves

    /** Adds the new column and the declared expand steps, and creates the flag at {@code off}. */
    public LifecycleState expand(String actor, String reason) {
        return phaseMove(LifecycleMove.EXPAND, actor, reason, LifecyclePhase.EXPANDED, 0.0, s -> null, claimed -> {
            owner.executor.apply(expand);
            owner.flags.write(migration.flagKey(), FlagPosition.everyKey(Stage.OFF), actor, reason);
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
     */
    public BackfillResult backfill(String actor, String reason) {
        LifecycleState state = check(LifecycleMove.BACKFILL, actor, reason, s -> null);
        owner.store.compareAndSet(state, LifecycleMove.BACKFILL, state.phase(), state.livePercent(), actor.strip(),
                LifecycleMove.BACKFILL.value() + ": " + reason.strip());
        Backfill backfill = Backfill.builder(migration, owner.dataSource, owner.dialect).settings(owner.backfillSettings)
                .transform(transform).clock(owner.clock).build();
        try {
            BackfillResult result = backfill.run();
            audit(LifecycleMove.BACKFILL, actor, "at " + state.describe() + ": " + result.state() + ", "
                    + result.rowsDone() + " rows walked, " + result.rowsUpdated() + " written; reason: " + reason);
            return result;
        } catch (RuntimeException e) {
            audit(LifecycleMove.BACKFILL.value() + "-failed", actor, e.getMessage() + "; reason: " + reason);
            throw e;
        }
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
                .clock(owner.clock).build().verify();
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
            if (owner.flags.read(migration.flagKey()).isPresent()) {
                owner.flags.write(migration.flagKey(), FlagPosition.everyKey(Stage.OFF), actor, reason);
            }
            new ExpandRollback(owner.executor, owner.audit, owner.clock).execute(rollbackPlan(), Stage.OFF,
                    actor.strip());
            owner.checkpoints.reset(migration.id());
        });
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
        return new MigrationStatus(state, owner.flags.read(migration.flagKey()).orElse(null),
                owner.checkpoints.load(migration.id()).orElse(null), latest, pendingRepairs(), unresolvedBadRows(),
                gate.evaluate(), LifecycleMove.from(state.phase()), owner.clock.instant());
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

    private LifecycleState flagMove(LifecycleMove move, String actor, String reason, LifecyclePhase to,
                                    double livePercent, Guard guard, FlagPosition target) {
        return phaseMove(move, actor, reason, to, livePercent, guard,
                claimed -> owner.flags.write(migration.flagKey(), target, actor.strip(), reason.strip()));
    }

    private LifecycleState phaseMove(LifecycleMove move, String actor, String reason, LifecyclePhase to,
                                     double livePercent, Guard guard, Action action) {
        LifecycleState from = check(move, actor, reason, guard);
        String who = actor.strip();
        String why = reason.strip();
        String detail = from.describe() + " -> " + (to == LifecyclePhase.LIVE ? to.value() + " " + livePercent + "%"
                : to.value()) + "; reason: " + why;
        LifecycleState claimed = owner.store.compareAndSet(from, move, to, livePercent, who, move.value() + ": " + why);
        try {
            action.run(claimed);
        } catch (RuntimeException e) {
            try {
                owner.store.compareAndSet(claimed, move, from.phase(), from.livePercent(), who,
                        move.value() + " failed and was undone: " + e.getMessage());
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            audit(move.value() + "-failed", who, detail + "; failed: " + e.getMessage());
            throw e;
        }
        audit(move, who, detail);
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
        String missing = guard.missing(state);
        if (missing != null) {
            throw refused(move, state, missing);
        }
        return state;
    }

    private IllegalMoveException refused(LifecycleMove move, LifecycleState state, String reason) {
        return new IllegalMoveException(migration.id(), move, state.phase(), reason, LifecycleMove.from(state.phase()));
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
        return new ExpandRollback(owner.executor, owner.audit, owner.clock).plan(migration.id(), expand);
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
