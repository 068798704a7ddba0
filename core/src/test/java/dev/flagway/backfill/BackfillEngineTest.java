package dev.flagway.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.Migration;
import dev.flagway.dialect.H2Dialect;
import dev.flagway.dialect.HealthReading;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class BackfillEngineTest {
    private static final int ROWS = 5_000;

    private final DataSource db = TestDatabase.H2.dataSource();
    private final H2Dialect dialect = new H2Dialect();
    private final Migration migration = Migration.builder("users-email")
            .table("users").keyColumn("id").legacyColumn("email").newColumn("email_normalized")
            .transform(e -> e == null ? null : e.toString().trim().toLowerCase())
            .build();

    BackfillEngineTest() {
        exec("create table \"users\" (\"id\" bigint primary key, \"email\" varchar(320), \"email_normalized\" varchar(320))");
        exec("insert into \"users\" (\"id\", \"email\") select \"X\", ' User' || \"X\" || '@Example.COM' from system_range(1, "
                + ROWS + ")");
        exec("update \"users\" set \"email\" = null where \"id\" = 17");
    }

    @Test
    void cancelledBackfillResumesFromItsCheckpointWithoutSkippingOrRedoingRows() {
        Backfill[] self = new Backfill[1];
        Backfill cancelling = Backfill.builder(migration, db, dialect).settings(fixedBatches(500).build())
                .listener(p -> {
                    if (p.rowsDone() >= 2_000) {
                        self[0].cancel();
                    }
                }).build();
        self[0] = cancelling;

        BackfillResult cancelled = cancelling.run();

        assertThat(cancelled.state()).isEqualTo(BackfillState.CANCELLED);
        assertThat(cancelling.checkpoint()).hasValueSatisfying(c -> {
            assertThat(c.lastKey()).isEqualTo("2000");
            assertThat(c.rowsDone()).isEqualTo(2_000);
            assertThat(c.state()).isEqualTo(BackfillState.CANCELLED);
        });
        assertThat(count("\"email_normalized\" is not null")).isEqualTo(1_999);

        BackfillResult resumed = backfill(fixedBatches(500).build()).run();

        assertThat(resumed.state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(resumed.rowsDone()).isEqualTo(ROWS);
        assertThat(resumed.rowsUpdatedThisRun()).isEqualTo(ROWS - 1 - 1_999);
        assertThat(resumed.rowsUpdated()).isEqualTo(ROWS - 1);
        assertThat(count("\"email_normalized\" = lower(trim(\"email\"))")).isEqualTo(ROWS - 1);
    }

    @Test
    void everyBatchWalksExactlyItsSizeOverSparseKeysAndTheLastOneWhatIsLeft() {
        exec("delete from \"users\" where mod(\"id\", 7) = 0");
        List<BackfillProgress> seen = new CopyOnWriteArrayList<>();

        BackfillResult result = backfillWith(fixedBatches(1_000).build(), seen).run();

        assertThat(seen.stream().filter(p -> p.state() == BackfillState.RUNNING).map(BackfillProgress::rowsDone))
                .containsExactly(1_000L, 2_000L, 3_000L, 4_000L, 4_286L);
        assertThat(result.rowsDone()).isEqualTo(4_286);
        assertThat(result.rowsUpdated()).isEqualTo(4_285);
        assertThat(count("\"email_normalized\" is null")).isEqualTo(1);
    }

    @Test
    void repairLogEntriesAreReDerivedFromTheLegacyValueAndRemoved() throws SQLException {
        backfill(BackfillSettings.ofDefaults()).run();
        exec("update \"users\" set \"email\" = 'Changed@Example.COM' where \"id\" in (3, 4, 5)");
        RepairLog repairs = RepairLog.ofDefaults();
        for (long id : new long[] {3, 4, 5, 999_999}) {
            // what RepairLog.record writes when a dual write's modern part fails
            exec("insert into \"flagway_repair\" (\"migration_id\", \"row_key\", \"error\", \"failures\", \"recorded_at\")"
                    + " values ('users-email', '" + id + "', 'failed', 1, current_timestamp)");
        }

        BackfillResult result = backfill(BackfillSettings.ofDefaults()).run();

        assertThat(result.repairsDrained()).isEqualTo(4);
        assertThat(count("\"email_normalized\" = 'changed@example.com'")).isEqualTo(3);
        try (Connection c = db.getConnection()) {
            assertThat(repairs.pending(c, migration.id(), 10)).isEmpty();
        }
    }

    @Test
    void sqlTransformWithReverifyRewritesOnlyDifferingRows() {
        Transform sql = Transform.sql(legacy -> DSL.lower(DSL.trim(legacy.cast(String.class))));
        backfill(BackfillSettings.ofDefaults()).run();
        exec("update \"users\" set \"email_normalized\" = 'drifted' where \"id\" in (10, 20)");
        new CheckpointStore(db).reset(migration.id());

        BackfillResult result = Backfill.builder(migration, db, dialect).transform(sql)
                .settings(BackfillSettings.custom().reverify(true).build()).build().run();

        assertThat(result.rowsUpdatedThisRun()).isEqualTo(2);
        assertThat(count("\"email_normalized\" = 'drifted'")).isZero();
    }

    @Test
    void criticalHealthSignalPausesTheBackfillWhichThenContinues() {
        AtomicInteger reads = new AtomicInteger();
        List<BackfillProgress> seen = new CopyOnWriteArrayList<>();
        BackfillResult result = Backfill.builder(migration, db, dialect)
                .settings(fixedBatches(1_000).healthCheckInterval(Duration.ofMillis(20)).build())
                .healthSignals(List.of(() -> reads.incrementAndGet() <= 3
                        ? new HealthReading("replica-lag", HealthReading.Level.CRITICAL, "lag 90 s (critical at 60 s)")
                        : HealthReading.ok("replica-lag", "lag 1 s")))
                .listener(seen::add)
                .build().run();

        assertThat(result.state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(seen).anySatisfy(p -> {
            assertThat(p.state()).isEqualTo(BackfillState.PAUSED);
            assertThat(p.throttleReason()).contains("CRITICAL replica-lag: lag 90 s");
        });
        assertThat(seen.get(seen.size() - 1).throttleReason()).isNull();
    }

    @Test
    void signalInterruptedWhileBeingReadCancelsTheBackfillAndKeepsTheThreadInterrupted() {
        BackfillResult result = Backfill.builder(migration, db, dialect)
                .settings(fixedBatches(1_000).build())
                .healthSignals(List.of(() -> {
                    throw new InterruptedException("baseline wait interrupted");
                }))
                .build().run();

        assertThat(Thread.interrupted()).isTrue();
        assertThat(result.state()).isEqualTo(BackfillState.CANCELLED);
    }

    @Test
    void throttleReadingShrinksTheBatch() {
        List<BackfillProgress> seen = new CopyOnWriteArrayList<>();
        Backfill.builder(migration, db, dialect)
                .settings(fixedBatches(1_000).minBatchSize(10).throttlePause(Duration.ofMillis(1)).build())
                .addHealthSignal(() -> new HealthReading("load", HealthReading.Level.THROTTLE, "threads running 80"))
                .listener(seen::add)
                .build().run();

        assertThat(seen.get(0).rowsDone()).isEqualTo(500);
        assertThat(seen.get(0).throttleReason()).isEqualTo("THROTTLE load: threads running 80");
    }

    @Test
    void applicationLatencySignalThrottlesTheBackfillWhileTheApplicationIsSlowerThanBefore() {
        Timer requests = new SimpleMeterRegistry().timer("repository.queries");
        LatencySignal latency = LatencySignal.builder(requests).build(window -> record(requests, 50, 1));
        List<BackfillProgress> seen = new CopyOnWriteArrayList<>();

        BackfillResult result = Backfill.builder(migration, db, dialect)
                .settings(fixedBatches(1_000).minBatchSize(10).healthCheckInterval(Duration.ofMillis(1))
                        .throttlePause(Duration.ofMillis(1)).build())
                .healthSignals(List.of(latency))
                .listener(p -> {
                    seen.add(p);
                    record(requests, 50, 2);
                })
                .build().run();

        assertThat(result.state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(seen).anySatisfy(p -> assertThat(p.throttleReason())
                .startsWith("THROTTLE application-latency: mean 2.00 ms over 50 requests, 2.00× the baseline 1.00 ms"));
    }

    @Test
    void pauseAndResumeAtRunTime() throws Exception {
        List<BackfillProgress> seen = new CopyOnWriteArrayList<>();
        Backfill[] self = new Backfill[1];
        self[0] = Backfill.builder(migration, db, dialect).settings(fixedBatches(1_000).build())
                .listener(p -> {
                    seen.add(p);
                    if (p.rowsDone() == 1_000 && p.state() == BackfillState.RUNNING) {
                        self[0].pause();
                        CompletableFuture.runAsync(() -> {
                            sleep(300);
                            self[0].resume();
                        });
                    }
                }).build();

        BackfillResult result = self[0].run();

        assertThat(result.state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(seen).anySatisfy(p -> assertThat(p.state()).isEqualTo(BackfillState.PAUSED));
        assertThat(result.rowsDone()).isEqualTo(ROWS);
    }

    @Test
    void batchSizeGrowsTowardTheTargetDurationAndProgressHasAnEta() {
        List<BackfillProgress> seen = new CopyOnWriteArrayList<>();
        backfillWith(BackfillSettings.custom().initialBatchSize(50).minBatchSize(10).maxBatchSize(2_000)
                .targetBatchDuration(Duration.ofSeconds(5)).build(), seen).run();

        assertThat(seen.get(seen.size() - 2).batchSize()).isGreaterThan(50);
        assertThat(seen.get(0).estimatedTotal()).isEqualTo(ROWS);
        assertThat(seen.get(0).eta()).isNotNull();
    }

    @Test
    void rowsPerSecondCapHoldsTheAverageRateDown() {
        List<BackfillProgress> seen = new CopyOnWriteArrayList<>();
        backfillWith(fixedBatches(500).maxRowsPerSecond(10_000).build(), seen).run();

        // the pause after each batch makes the run last at least rows / cap, so the average cannot exceed it
        BackfillProgress last = seen.get(seen.size() - 1);
        assertThat(last.rowsDone()).isEqualTo(ROWS);
        assertThat(last.rowsPerSecond()).isPositive().isLessThanOrEqualTo(10_000 * 1.05);
    }

    @Test
    void metersCountWalkedAndUpdatedRows() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        BackfillResult result = Backfill.builder(migration, db, dialect).settings(fixedBatches(1_000).build())
                .meterRegistry(meters).build().run();

        assertThat(meters.get("flagway.backfill.rows").tag("outcome", "walked").counter().count()).isEqualTo(ROWS);
        assertThat(meters.get("flagway.backfill.rows").tag("outcome", "updated").counter().count())
                .isEqualTo(result.rowsUpdated()).isEqualTo(ROWS - 1);
        assertThat(meters.get("flagway.backfill.batch.size").gauge().value()).isEqualTo(1_000);
    }

    private Backfill backfill(BackfillSettings settings) {
        return Backfill.builder(migration, db, dialect).settings(settings).build();
    }

    private Backfill backfillWith(BackfillSettings settings, List<BackfillProgress> seen) {
        return Backfill.builder(migration, db, dialect).settings(settings).listener(seen::add).build();
    }

    private static BackfillSettings.Builder fixedBatches(int size) {
        return BackfillSettings.custom().initialBatchSize(size).minBatchSize(size).maxBatchSize(size);
    }

    private long count(String where) {
        return H2Sql.countUsers(db, where);
    }

    private void exec(String sql) {
        H2Sql.exec(db, sql);
    }

    private static void record(Timer timer, int count, long millis) {
        for (int i = 0; i < count; i++) {
            timer.record(Duration.ofMillis(millis));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
