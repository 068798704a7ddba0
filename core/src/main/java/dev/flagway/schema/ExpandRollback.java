package dev.flagway.schema;

import dev.flagway.Stage;
import dev.flagway.internal.Checks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reverts an aborted migration's expand to the last stable schema: every expand operation's inverse
 * (drop the new column, index or constraint), last first, through the same lock-safe executor.
 * Allowed only while no read uses the modern path (stage {@link Stage#OFF} or
 * {@link Stage#DUAL_WRITE}); shown as a dry-run {@linkplain #plan plan} first; recorded in the audit sink.
 */
public final class ExpandRollback {
    private static final Logger LOG = LoggerFactory.getLogger(ExpandRollback.class);

    private final SchemaExecutor executor;
    private final AuditSink audit;
    private final Clock clock;

    /** A rollback running through {@code executor} and recording to {@code audit}. */
    public ExpandRollback(SchemaExecutor executor, AuditSink audit, Clock clock) {
        this.executor = Checks.notNull("schema executor", executor);
        this.audit = Checks.notNull("audit sink", audit);
        this.clock = Checks.notNull("clock", clock);
    }

    /**
     * The dry run: the inverse operations and their script. Nothing runs.
     *
     * @throws IllegalArgumentException when an operation is not an expand operation (it has no inverse)
     */
    public RollbackPlan plan(String migrationId, List<SchemaOperation> expand) {
        List<SchemaOperation> inverse = new ArrayList<>();
        for (int i = expand.size() - 1; i >= 0; i--) {
            SchemaOperation op = expand.get(i);
            inverse.add(op.inverse().orElseThrow(() -> new IllegalArgumentException(
                    op.describe() + " is not an expand operation and cannot be rolled back")));
        }
        return new RollbackPlan(migrationId, inverse, executor.script(inverse));
    }

    /**
     * Runs a plan.
     *
     * @param currentStage the stage the migration's flag serves now (the most advanced across keys)
     * @param actor who asks for it, for the audit log
     * @throws IllegalStateException when the stage reads the modern path
     */
    public List<StatementOutcome> execute(RollbackPlan plan, Stage currentStage, String actor) {
        Checks.notNull("current stage", currentStage);
        if (currentStage != Stage.OFF && currentStage != Stage.DUAL_WRITE) {
            throw new IllegalStateException("rollback of migration '" + plan.migrationId() + "' refused: stage is "
                    + currentStage.flagValue() + ", which reads the new schema; move the flag back to off or "
                    + "dual_write first");
        }
        LOG.warn("Rolling back the expand of migration '{}' for {}:\n{}", plan.migrationId(), actor, plan.script());
        try {
            List<StatementOutcome> outcomes = executor.apply(plan.operations());
            audit.record(new AuditEvent(clock.instant(), plan.migrationId(), "expand-rollback", actor, plan.script()));
            return outcomes;
        } catch (RuntimeException e) {
            audit.record(new AuditEvent(clock.instant(), plan.migrationId(), "expand-rollback-failed", actor,
                    e.getMessage() + "\n" + plan.script()));
            throw e;
        }
    }
}
