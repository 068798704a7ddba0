package dev.flagway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.BackfillState;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.testing.DualWriteTraffic;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.Verifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PostgresBackfillTest {
    private static final int ROWS = 200_000;

    @Test
    void backfillOf200kRowsUnderConcurrentDualWritesFinishesWithVerificationPassing() throws Exception {
        try (PgFixture f = new PgFixture(ROWS, true)) {
            try (Connection c = f.dataSource.getConnection()) {
                RepairLog.named(f.repairTable).createIfMissing(c);
            }
            DualWriteTraffic writers = DualWriteTraffic.start(f.dataSource, new DualWriteTraffic.Statements(
                    "update " + f.table + " set email = ?, email_normalized = ? where id = ?",
                    "update " + f.table + " set email = ? where id = ?",
                    "insert into " + f.table + " (id, email, email_normalized) values (?, ?, ?)",
                    "insert into " + f.repairTable + " (migration_id, row_key, error, failures, recorded_at)"
                            + " values (?, ?, 'simulated', 1, now()) on conflict do nothing"), f.migration.id(), ROWS, 2);
            AtomicBoolean stopped = new AtomicBoolean();
            Backfill backfill = Backfill.builder(f.migration, f.dataSource, new PostgresDialect())
                    .settings(settings(f).build())
                    .listener(p -> {
                        if (p.rowsDone() >= ROWS * 3 / 4 && stopped.compareAndSet(false, true)) {
                            writers.stop();
                        }
                    })
                    .build();

            BackfillResult result = backfill.run();
            writers.stop();

            System.out.printf("backfill: %d rows walked, %d written, %d repairs drained, %d batches in %d ms (%.0f rows/s);"
                    + " concurrent writes %d, failed modern writes %d%n", result.rowsDone(), result.rowsUpdated(),
                    result.repairsDrained(), result.batches(), result.elapsed().toMillis(),
                    result.rowsDone() * 1000.0 / result.elapsed().toMillis(), writers.writes(),
                    writers.repairsRecorded());
            assertThat(result.state()).isEqualTo(BackfillState.COMPLETED);
            assertThat(writers.writes()).isPositive();
            assertThat(result.repairsDrained()).isPositive();
            assertThat(f.count("select count(*) from " + f.repairTable)).isZero();
            VerificationReport report = Verifier.builder(f.migration, f.dataSource, new PostgresDialect())
                    .chunkSize(20_000).build().verify();
            assertThat(report.passed()).as(report.summary()).isTrue();
            assertThat(report.totalRows()).isEqualTo(ROWS + writers.inserted());
        }
    }

    @Test
    void twoRunnersAtOnceOneWorksTheOtherWaitsAndAThirdThatWillNotWaitReturns() throws Exception {
        try (PgFixture f = new PgFixture(50_000, true)) {
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean thirdTried = new AtomicBoolean();
            List<BackfillResult> third = new ArrayList<>();
            List<CompletableFuture<BackfillResult>> runners = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Backfill runner = Backfill.builder(f.migration, f.dataSource, new PostgresDialect())
                        .settings(settings(f).runnerWait(Duration.ofSeconds(120))
                                .runnerPollInterval(Duration.ofMillis(200)).build())
                        .listener(p -> {
                            if (thirdTried.compareAndSet(false, true)) {
                                third.add(Backfill.builder(f.migration, f.dataSource, new PostgresDialect())
                                        .settings(settings(f).build()).build().run());
                            }
                        })
                        .build();
                runners.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return runner.run();
                }));
            }
            start.countDown();
            BackfillResult a = runners.get(0).get(120, TimeUnit.SECONDS);
            BackfillResult b = runners.get(1).get(120, TimeUnit.SECONDS);

            BackfillResult worker = a.rowsUpdatedThisRun() > 0 ? a : b;
            BackfillResult waiter = worker == a ? b : a;
            System.out.printf("two runners: worker wrote %d rows; waiter waited %d ms and wrote %d%n",
                    worker.rowsUpdatedThisRun(), waiter.waitedForRunner().toMillis(), waiter.rowsUpdatedThisRun());
            assertThat(worker.rowsUpdatedThisRun()).isEqualTo(50_000);
            assertThat(waiter.rowsUpdatedThisRun()).isZero();
            assertThat(waiter.waitedForRunner()).isPositive();
            assertThat(waiter.state()).isEqualTo(BackfillState.COMPLETED);
            assertThat(third).singleElement().extracting(BackfillResult::state).isEqualTo(BackfillState.SKIPPED);
        }
    }

    @Test
    void everyBatchWalksExactlyItsSizeOverSparseKeysAndTheLastOneWhatIsLeft() {
        try (PgFixture f = new PgFixture(5_000, true)) {
            f.exec("delete from " + f.table + " where id % 7 = 0");
            List<Long> walked = new CopyOnWriteArrayList<>();
            Backfill backfill = Backfill.builder(f.migration, f.dataSource, new PostgresDialect())
                    .settings(settings(f).initialBatchSize(1_000).minBatchSize(1_000).maxBatchSize(1_000).build())
                    .listener(p -> {
                        if (p.state() == BackfillState.RUNNING) {
                            walked.add(p.rowsDone());
                        }
                    })
                    .build();

            BackfillResult result = backfill.run();

            assertThat(walked).containsExactly(1_000L, 2_000L, 3_000L, 4_000L, 4_286L);
            assertThat(result.rowsUpdated()).isEqualTo(4_286);
            assertThat(backfill.checkpoint()).hasValueSatisfying(c -> assertThat(c.lastKey()).isEqualTo("5000"));
        }
    }

    @Test
    void aCompletedBackfillVacuumsTheTableUnlessToldNot() throws Exception {
        for (boolean tidy : new boolean[] {true, false}) {
            try (PgFixture f = new PgFixture(20_000, true)) {
                f.exec("alter table " + f.table + " set (autovacuum_enabled = false)");
                BackfillResult result = Backfill.builder(f.migration, f.dataSource, new PostgresDialect())
                        .settings(settings(f).tidyWhenComplete(tidy).build()).build().run();
                assertThat(result.state()).isEqualTo(BackfillState.COMPLETED);
                assertThat(result.rowsUpdated()).isEqualTo(20_000);

                String vacuumed = "select count(last_vacuum) from pg_stat_user_tables where relname = '" + f.table + "'";
                if (tidy) {
                    assertThat(pollStats(f, vacuumed, n -> n == 1)).as("vacuumed").isEqualTo(1);
                    assertThat(deadVersionsAVacuumRemoves(f)).as("dead row versions left").isZero();
                } else {
                    assertThat(f.count(vacuumed)).as("vacuumed").isZero();
                    assertThat(deadVersionsAVacuumRemoves(f)).as("a dead version of each updated row, but those"
                            + " that page pruning removed on the way").isGreaterThan(15_000);
                }
            }
        }
    }

    /** Polls the statistics (reported asynchronously) until {@code done} holds, for up to 20 s. */
    private static long pollStats(PgFixture f, String sql, LongPredicate done) throws InterruptedException {
        long value = f.count(sql);
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); !done.test(value)
                && System.nanoTime() < deadline; value = f.count(sql)) {
            Thread.sleep(200);
        }
        return value;
    }

    /**
     * How many dead row versions a {@code VACUUM} of the table finds and removes (from its verbose
     * report), counted where they are rather than through the statistics, which a backend reports
     * up to a second late, so possibly after an earlier vacuum.
     */
    private static long deadVersionsAVacuumRemoves(PgFixture f) throws SQLException {
        try (Connection c = f.dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("vacuum (verbose) " + f.table);
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                Matcher m = Pattern.compile("tuples: (\\d+) removed").matcher(w.getMessage());
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
        }
        throw new AssertionError("VACUUM (VERBOSE) of " + f.table + " reported no removed tuples");
    }

    private static BackfillSettings.Builder settings(PgFixture f) {
        return BackfillSettings.custom().checkpointTable(f.checkpointTable).repairTable(f.repairTable)
                .badRowTable(f.badRowTable).maxBatchSize(5_000);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
