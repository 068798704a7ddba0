package dev.flagway.routing;

import dev.flagway.internal.RateLimitedLogger;
import dev.flagway.FallbackListener;
import dev.flagway.FlagStateStore;
import dev.flagway.Migration;
import dev.flagway.Stage;
import dev.flagway.breaker.BreakerTransition;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.jdbc.TransactionRunner;
import dev.openfeature.sdk.Client;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One migration at run time: its definition, its circuit breaker, the stage resolution, the keys
 * pinned to the legacy column, and the {@link FlagRoutedReader} and {@link DualWriter} that route its
 * calls. Obtain it from {@link Flagway#migration(String)}; it is thread-safe.
 */
public final class MigrationRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationRuntime.class);
    private static final String BREAKER_ACTOR = "circuit-breaker";

    private final Migration migration;
    private final CircuitBreaker breaker;
    private final MigrationMetrics metrics;
    private final StageResolver resolver;
    private final FlagRoutedReader reader;
    private final DualWriter writer;
    private final PinnedKeys pins;
    private final TransactionRunner transactions;
    private final RepairLog repairLog;
    private final BadRowLog badRowLog;

    MigrationRuntime(Migration migration, Client client, MeterRegistry registry, CircuitBreaker breaker,
                     ShadowExecutor shadow, TransactionRunner transactions, RepairLog repairLog, BadRowLog badRowLog,
                     FlagStateStore flagStore, Executor flagStoreWriter, FallbackListener fallbackListener,
                     long logIntervalNanos) {
        this.migration = migration;
        this.breaker = breaker;
        this.pins = new PinnedKeys(migration.id());
        this.transactions = transactions != null ? transactions : NoTransactions.INSTANCE;
        this.repairLog = repairLog;
        this.badRowLog = badRowLog;
        this.metrics = new MigrationMetrics(registry, migration.id(), breaker, pins::size);
        this.resolver = new StageResolver(client, migration, breaker, metrics,
                RateLimitedLogger.of(StageResolver.class, logIntervalNanos));
        this.reader = new FlagRoutedReader(migration, resolver, breaker, metrics, pins, shadow, fallbackListener,
                logIntervalNanos);
        this.writer = new DualWriter(migration, resolver, metrics, pins, this.transactions, repairLog, logIntervalNanos);
        breaker.addListener(transition -> onBreakerTransition(transition, flagStore, flagStoreWriter));
    }

    /** The migration's definition. */
    public Migration migration() {
        return migration;
    }

    /** The migration's circuit breaker (to inspect, reset or force open). */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Routes reads by stage, with fallback and shadow comparison. */
    public FlagRoutedReader reader() {
        return reader;
    }

    /** Routes writes by stage, both in one transaction. */
    public DualWriter writer() {
        return writer;
    }

    /** The stage the flag gives {@code targetingKey}, before the breaker's clamp (null: no targeting key). */
    public Stage flagStage(String targetingKey) {
        return resolver.resolve(targetingKey);
    }

    /**
     * The stage reads of {@code targetingKey} run in now: the flag's stage, clamped to
     * {@link Stage#DUAL_WRITE} while the breaker keeps the modern path off (not in COMPLETE, which has
     * no legacy path to fall back to).
     */
    public Stage effectiveStage(String targetingKey) {
        return resolver.readStage(targetingKey);
    }

    /**
     * Whether reads of {@code targetingKey} take the legacy column although its stage reads the new
     * one: a modern write of it failed and could not be repaired in its transaction (pending in the
     * repair log), or the backfill could not migrate its row (an unresolved bad row, by row key). This
     * instance knows its own such writes at once and the fleet's within
     * {@code flagway.pinned-keys.refresh-interval}.
     */
    public boolean pinnedToLegacy(String targetingKey) {
        return pins.pinned(targetingKey);
    }

    /** Re-reads the fleet's pinned keys from the repair log and the bad-row log (needs the transaction runner). */
    void refreshPins() {
        long started = System.nanoTime();
        int limit = PinnedKeys.MAX_KEYS + 1;
        List<String> keys = transactions.inTransaction(() -> {
            Connection c = transactions.currentConnection();
            List<String> read = new ArrayList<>(repairLog.pinnedKeys(c, migration.id(), limit));
            read.addAll(badRowLog.unresolvedKeys(c, migration.id(), limit));
            return read;
        });
        pins.refreshed(started, keys);
    }

    private void onBreakerTransition(BreakerTransition transition, FlagStateStore flagStore, Executor writer) {
        metrics.breakerTransition(transition.to(), transition.cause().name().toLowerCase(Locale.ROOT));
        if (flagStore == null || transition.to() != CircuitBreaker.State.OPEN) {
            return;
        }
        String reason = "circuit breaker of migration '" + migration.id() + "' opened: " + transition.description();
        writer.execute(() -> {
            try {
                flagStore.disable(migration.flagKey(), BREAKER_ACTOR, reason);
                LOG.warn("Disabled flag '{}' in the flag store so that every instance leaves the modern path", migration.flagKey());
            } catch (Exception e) {
                LOG.error("Could not disable flag '{}' in the flag store; this instance stays clamped, others may not: {}",
                        migration.flagKey(), e.toString());
            }
        });
    }
}
