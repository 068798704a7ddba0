package dev.flagway.backfill;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backfill's meters: rows walked and written, current batch size, whether it is throttled. One
 * per registry and migration: a registry keeps the first gauge registered under a name and tags, so
 * every later {@link Backfill} of the migration must feed that gauge's state, which is held strongly
 * (a gauge of a finished backfill's state would otherwise read NaN once it is collected).
 */
final class BackfillMetrics {
    private static final Map<MeterRegistry, Map<String, BackfillMetrics>> BY_REGISTRY =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final Counter walked;
    private final Counter updated;
    private final AtomicInteger batchSize = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();

    /** The meters of {@code migrationId} in {@code registry}, registered on first use. */
    static BackfillMetrics of(MeterRegistry registry, String migrationId) {
        return BY_REGISTRY.computeIfAbsent(registry, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(migrationId, id -> new BackfillMetrics(registry, id));
    }

    private BackfillMetrics(MeterRegistry registry, String migrationId) {
        this.walked = Counter.builder("flagway.backfill.rows").tag("migration", migrationId).tag("outcome", "walked")
                .description("keys walked by the backfill").register(registry);
        this.updated = Counter.builder("flagway.backfill.rows").tag("migration", migrationId).tag("outcome", "updated")
                .description("rows whose new column the backfill wrote").register(registry);
        Gauge.builder("flagway.backfill.batch.size", batchSize, AtomicInteger::get).tag("migration", migrationId)
                .description("current backfill batch size").strongReference(true).register(registry);
        Gauge.builder("flagway.backfill.throttled", throttled, AtomicInteger::get).tag("migration", migrationId)
                .description("1 while a health signal slows or pauses the backfill").strongReference(true)
                .register(registry);
    }

    void batch(int walkedRows, int updatedRows, int nextSize) {
        walked.increment(walkedRows);
        updated.increment(updatedRows);
        batchSize.set(nextSize);
    }

    void throttled(boolean on) {
        throttled.set(on ? 1 : 0);
    }
}
