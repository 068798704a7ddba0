package dev.flagway;

import dev.flagway.internal.Failures;
import dev.flagway.internal.MigrationMetrics;
import dev.flagway.internal.MigrationMetrics.Path;
import dev.flagway.internal.RateLimitedLogger;
import dev.flagway.internal.Sneaky;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.jdbc.TransactionRunner;

/**
 * Routes a write by the request's stage: legacy only in {@link Stage#OFF}, legacy then modern from
 * {@link Stage#DUAL_WRITE} on, modern only in {@link Stage#COMPLETE}. With a
 * {@link TransactionRunner} both writes run in one transaction and the modern one under a
 * savepoint; when it fails, the legacy write still commits and the row key is recorded in the
 * {@link RepairLog} in the same transaction ({@link WritePolicy#REPAIR}), or the whole write fails
 * ({@link WritePolicy#STRICT}). Usable directly with lambdas:
 *
 * <pre>{@code
 * flagway.migration("users-email").writer().write(userId, userId,
 *         () -> legacyRepo.updateEmail(userId, email), () -> modernRepo.updateEmail(userId, email));
 * }</pre>
 */
public final class DualWriter {
    private final MigrationRuntime runtime;
    private final MigrationMetrics metrics;
    private final TransactionRunner transactions;
    private final RepairLog repairLog;
    private final boolean strict;
    private final RateLimitedLogger repairFailures;

    DualWriter(MigrationRuntime runtime, TransactionRunner transactions, RepairLog repairLog, long logIntervalNanos) {
        this.runtime = runtime;
        this.metrics = runtime.metrics();
        this.transactions = transactions;
        this.repairLog = repairLog;
        this.strict = runtime.migration().writePolicy() == WritePolicy.STRICT;
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
     * @param rowKey the key of the written row, recorded for repair when the modern write fails
     *     (required under {@link WritePolicy#REPAIR})
     * @return the legacy write's result before COMPLETE, the modern one's in COMPLETE
     * @throws IllegalArgumentException before anything is written, when {@code rowKey} is null under
     *     {@link WritePolicy#REPAIR}
     */
    @SuppressWarnings("unchecked")
    public <T, X extends Throwable> T write(String targetingKey, Object rowKey, ThrowingSupplier<T, X> legacy,
                                            ThrowingSupplier<T, X> modern) throws X {
        return (T) route(targetingKey, rowKey, Paths.<X>suppliers(), legacy, modern);
    }

    /** Routes one write: runs {@code paths} on the arguments of the paths the stage writes. */
    <A, X extends Throwable> Object route(String targetingKey, Object rowKey, Paths<A, X> paths, A legacy, A modern)
            throws X {
        Stage stage = runtime.flagStage(targetingKey);
        if (!stage.writesModern()) {
            return once(stage, Path.LEGACY, paths, legacy);
        }
        if (!stage.writesLegacy()) {
            return once(stage, Path.MODERN, paths, modern);
        }
        if (rowKey == null && !strict) {
            throw new IllegalArgumentException("dual write of migration '" + runtime.migration().id()
                    + "' needs a row key to record a failed modern write for repair");
        }
        if (transactions == null) {
            Object result = once(stage, Path.LEGACY, paths, legacy);
            modernPart(stage, rowKey, paths, modern);
            return result;
        }
        return transactions.inTransaction(() -> {
            Object result = once(stage, Path.LEGACY, paths, legacy);
            modernPart(stage, rowKey, paths, modern);
            return result;
        });
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

    private <A, X extends Throwable> void modernPart(Stage stage, Object rowKey, Paths<A, X> paths, A modern) throws X {
        try {
            if (transactions == null) {
                paths.modern(modern);
            } else {
                transactions.inSavepoint(() -> paths.modern(modern));
            }
        } catch (Throwable t) {
            Failures.rethrowIfFatal(t);
            metrics.write(stage, Path.MODERN, false);
            if (strict) {
                throw Sneaky.<X>rethrow(t);
            }
            recordForRepair(rowKey, t);
            return;
        }
        metrics.write(stage, Path.MODERN, true);
    }

    /** Records the key in the write's own transaction; a failure to record never fails the legacy write. */
    private void recordForRepair(Object rowKey, Throwable cause) {
        String migration = runtime.migration().id();
        if (transactions == null) {
            metrics.repair(false);
            repairFailures.warn("Modern write of migration '{}' failed for row {} and no transaction runner is "
                    + "configured to record it; the backfill's re-verification will find it: {}",
                    migration, rowKey, Failures.describe(cause));
            return;
        }
        try {
            transactions.inSavepoint(() -> {
                repairLog.record(transactions.currentConnection(), migration, rowKey, cause);
                return null;
            });
            metrics.repair(true);
        } catch (RuntimeException e) {
            metrics.repair(false);
            repairFailures.warn("Modern write of migration '{}' failed for row {} and recording it for repair "
                    + "failed too ({}); the legacy write commits: {}", migration, rowKey, Failures.describe(e),
                    Failures.describe(cause));
        }
    }
}
