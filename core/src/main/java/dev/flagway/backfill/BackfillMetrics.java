package dev.flagway.backfill;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The backfill's meters: rows walked and written, current batch size, whether it is throttled. */
final class BackfillMetrics {
    private final Counter walked;
    private final Counter updated;
    private final AtomicInteger batchSize = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();

    BackfillMetrics(MeterRegistry registry, String migrationId) {
        this.walked = Counter.builder("flagway.backfill.rows").tag("migration", migrationId).tag("outcome", "walked")
                .description("keys walked by the backfill").register(registry);
        this.updated = Counter.builder("flagway.backfill.rows").tag("migration", migrationId).tag("outcome", "updated")
                .description("rows whose new column the backfill wrote").register(registry);
        Gauge.builder("flagway.backfill.batch.size", batchSize, AtomicInteger::get).tag("migration", migrationId)
                .description("current backfill batch size").register(registry);
        Gauge.builder("flagway.backfill.throttled", throttled, AtomicInteger::get).tag("migration", migrationId)
                .description("1 while a health signal slows or pauses the backfill").register(registry);
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
