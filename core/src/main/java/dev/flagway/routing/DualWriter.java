package dev.flagway.routing;

import dev.flagway.internal.RateLimitedLogger;
import dev.flagway.FlagwayException;
import dev.flagway.Migration;
import dev.flagway.Stage;
import dev.flagway.TargetingContext;
import dev.flagway.ThrowingSupplier;
import dev.flagway.WritePolicy;
import dev.flagway.backfill.RowRepairer;
import dev.flagway.internal.Failures;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.jdbc.TransactionRunner;
import dev.flagway.routing.MigrationMetrics.Path;
import dev.flagway.routing.MigrationMetrics.RepairOutcome;

/**
 * Routes a write by the request's stage: legacy only in {@link Stage#OFF}, legacy then modern from
 * {@link Stage#DUAL_WRITE} on, modern only in {@link Stage#COMPLETE}. With a
 * {@link TransactionRunner} both writes run in one transaction and the modern one under a
 * savepoint; without one ({@link NoTransactions}) each runs on its own. When the modern write fails, {@link WritePolicy#STRICT} fails the whole write;
 * {@link WritePolicy#REPAIR} re-derives the new column from the legacy value in the same transaction
 * (the migration's transform, under a savepoint of its own), so that the write commits with both
 * columns agreeing. When that repair fails too, the write fails where the key's stage reads the new
 * column (LIVE, RAMP_DOWN: the fleet would read it stale), and elsewhere commits with the key
 * recorded in the {@link RepairLog}, whose targeting keys every instance then reads from the legacy
 * column until the row is repaired. Usable directly with lambdas:
 *
 * <pre>{@code
 * flagway.migration("users-email").writer().write(userId, userId,
 *         () -> legacyRepo.updateEmail(userId, email), () -> modernRepo.updateEmail(userId, email));
 * }</pre>
 */
public final class DualWriter {
    private final String migrationId;
    private final StageResolver stages;
    private final MigrationMetrics metrics;
    private final PinnedKeys pins;
    private final TransactionRunner transactions;
    /** Whether a failed modern write can be repaired or recorded in the write's transaction: not without a runner. */
    private final boolean repairsInTransaction;
    private final RepairLog repairLog;
    private final RowRepairer repairer;
    private final boolean strict;
    private final RateLimitedLogger repairFailures;

    DualWriter(Migration migration, StageResolver stages, MigrationMetrics metrics, PinnedKeys pins,
               TransactionRunner transactions, RepairLog repairLog, long logIntervalNanos) {
        this.migrationId = migration.id();
        this.stages = stages;
        this.metrics = metrics;
        this.pins = pins;
        this.transactions = transactions;
        this.repairsInTransaction = transactions != NoTransactions.INSTANCE;
        this.repairLog = repairLog;
        this.repairer = RowRepairer.of(migration);
        this.strict = migration.writePolicy() == WritePolicy.STRICT;
        this.repairFailures = RateLimitedLogger.of(DualWriter.class, logIntervalNanos);
    }

    /** Writes with the targeting key of {@link TargetingContext#current()}. */
    public <T, X extends Throwable> T write(Object rowKey, ThrowingSupplier<T, X> legacy,
                                            ThrowingSupplier<T, X> modern) throws X {
        return write(TargetingContext.current(), rowKey, legacy, modern);
    }

    /**
     * Writes for {@code targetingKey}.
     *
     * @param rowKey the key of the written row, re-derived or recorded for repair when the modern
     *     write fails (required under {@link WritePolicy#REPAIR})
     * @return the legacy write's result before COMPLETE, the modern one's in COMPLETE
     * @throws IllegalArgumentException before anything is written, when {@code rowKey} is null under
     *     {@link WritePolicy#REPAIR}
     */
    @SuppressWarnings("unchecked")
    public <T, X extends Throwable> T write(String targetingKey, Object rowKey, ThrowingSupplier<T, X> legacy,
                                            ThrowingSupplier<T, X> modern) throws X {
        return (T) route(targetingKey, rowKey, Paths.<X>suppliers(), legacy, modern);
    }

    /**
     * Routes one write: the key resolves once to its stage, whose table says which columns are
     * written; {@code paths} then runs on the arguments of those paths.
     */
    <A, X extends Throwable> Object route(String targetingKey, Object rowKey, Paths<A, X> paths, A legacy, A modern)
            throws X {
        Stage stage = stages.resolve(targetingKey);
        if (!stage.writesModern()) {
            return once(stage, Path.LEGACY, paths, legacy);
        }
        if (!stage.writesLegacy()) {
            return once(stage, Path.MODERN, paths, modern);
        }
        if (rowKey == null && !strict) {
            throw new IllegalArgumentException("dual write of migration '" + migrationId
                    + "' needs a row key to repair a failed modern write");
        }
        Object outcome = transactions.inTransaction(() -> {
            Object result = once(stage, Path.LEGACY, paths, legacy);
            String pin = modernPart(stage, targetingKey, rowKey, paths, modern);
            return pin == null ? result : new PinAfterCommit(result, pin);
        });
        if (outcome instanceof PinAfterCommit committed) {
            pins.pin(committed.key());
            return committed.result();
        }
        return outcome;
    }

    private <A, X extends Throwable> Object once(Stage stage, Path path, Paths<A, X> paths, A argument) throws X {
        Object result;
        try {
            result = path == Path.LEGACY ? paths.legacy(argument) : paths.modern(argument);
        } catch (Throwable t) {
            metrics.write(stage, path, false);
            throw t;
        }
        metrics.write(stage, path, true);
        return result;
    }

    /**
     * The modern write and, when it fails, what the policy says.
     *
     * @return the key to pin to the legacy column once the transaction commits, or null
     */
    private <A, X extends Throwable> String modernPart(Stage stage, String targetingKey, Object rowKey,
                                                       Paths<A, X> paths, A modern) throws X {
        try {
            transactions.inSavepoint(() -> paths.modern(modern));
        } catch (Throwable t) {
            Failures.rethrowIfFatal(t);
            metrics.write(stage, Path.MODERN, false);
            if (strict) {
                throw Sneaky.<X>rethrow(t);
            }
            return afterModernFailure(stage, targetingKey, rowKey, t);
        }
        metrics.write(stage, Path.MODERN, true);
        return null;
    }

    private <X extends Throwable> String afterModernFailure(Stage stage, String targetingKey, Object rowKey,
                                                            Throwable failure) throws X {
        if (!repairsInTransaction) {
            metrics.repair(RepairOutcome.UNRECORDED);
            repairFailures.warn("Modern write of migration '{}' failed for row {} and no transaction runner is "
                    + "configured to repair it; reads of it may be stale until the backfill's re-verification: {}",
                    migrationId, rowKey, Failures.describe(failure));
            return null;
        }
        String keyText = String.valueOf(rowKey);
        try {
            transactions.inSavepoint(() -> repairer.repair(transactions.currentConnection(), keyText));
            metrics.repair(RepairOutcome.INLINE);
            return null;
        } catch (RuntimeException repair) {
            failure.addSuppressed(new FlagwayException("re-deriving the new column of row " + keyText + " of migration '"
                    + migrationId + "' from its legacy value failed too: " + Failures.describe(repair), repair));
        }
        if (stage.readsModern()) {
            metrics.repair(RepairOutcome.FAILED);
            repairFailures.warn("Modern write of migration '{}' failed for row {} in stage {} and could not be repaired "
                    + "from the legacy value; the whole write fails, as the new column is read: {}", migrationId, rowKey,
                    stage.flagValue(), Failures.describe(failure));
            throw Sneaky.<X>rethrow(failure);
        }
        recordForRepair(stage, targetingKey, rowKey, failure);
        return targetingKey != null ? targetingKey : keyText;
    }

    /** Records the key in the write's own transaction; a failure to record never fails the legacy write. */
    private void recordForRepair(Stage stage, String targetingKey, Object rowKey, Throwable cause) {
        try {
            transactions.inSavepoint(() -> {
                repairLog.record(transactions.currentConnection(), migrationId, rowKey, targetingKey, cause);
                return null;
            });
            metrics.repair(RepairOutcome.RECORDED);
            repairFailures.warn("Modern write of migration '{}' failed for row {} in stage {} and could not be repaired "
                    + "from the legacy value; recorded for repair, its key reads the legacy column until then: {}",
                    migrationId, rowKey, stage.flagValue(), Failures.describe(cause));
        } catch (RuntimeException e) {
            metrics.repair(RepairOutcome.UNRECORDED);
            repairFailures.warn("Modern write of migration '{}' failed for row {}, and repairing and recording it for "
                    + "repair failed too ({}); the legacy write commits and only this instance reads it from the legacy "
                    + "column: {}", migrationId, rowKey, Failures.describe(e), Failures.describe(cause));
        }
    }

    /** A committed write's result, with the key to pin to the legacy column now that it is committed. */
    private record PinAfterCommit(Object result, String key) {
    }
}
