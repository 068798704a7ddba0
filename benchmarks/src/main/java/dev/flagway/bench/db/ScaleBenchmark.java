package dev.flagway.bench.db;

import com.zaxxer.hikari.HikariDataSource;
import dev.flagway.Migration;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.Transform;
import dev.flagway.dialect.Dialect;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.Verifier;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jooq.impl.DSL;

/**
 * Item 11: the default backfill and then the verifier over the same table at each size (1,000,000 and
 * 10,000,000 rows by default), with the application's queries of item 6 running before and during each,
 * recording the backfill's keys walked over time and the JVM's heap: the heap used after each garbage
 * collection (what the run keeps alive) and the largest heap used at all.
 */
public final class ScaleBenchmark {
    private ScaleBenchmark() {
    }

    /** Runs item 11 on {@code target} at each of {@code sizes}. */
    public static List<DbResults.Scale> run(DbTarget target, List<Integer> sizes, Consumer<String> log)
            throws Exception {
        List<DbResults.Scale> all = new ArrayList<>();
        for (int rows : sizes) {
            all.add(run(target, rows, log));
        }
        return all;
    }

    private static DbResults.Scale run(DbTarget target, int rows, Consumer<String> log) throws Exception {
        BackfillBenchmark.Settings settings = BackfillBenchmark.Settings.standard().withRows(rows);
        try (HikariDataSource admin = target.pool(4); HikariDataSource app = BackfillBenchmark.appPool(target, settings)) {
            Dialect dialect = VerificationBenchmark.dialect(target, admin);
            BenchTables names = new BenchTables(admin);
            String table = names.users() + "_s";
            String checkpoints = names.users() + "_backfill";
            List<String> tables = List.of(table, checkpoints, names.repair(), names.badRows());
            try {
                log.accept(target.name() + ": item 11, loading " + rows + " rows");
                long loadStart = System.nanoTime();
                BackfillBenchmark.load(admin, target, table, rows, false);
                log.accept(target.name() + ": item 11, loaded in " + Math.round((System.nanoTime() - loadStart) / 1e9)
                        + " s; idle application");
                BackfillBenchmark.settle(admin, target, log);
                BackfillBenchmark.AppLoad idleLoad = BackfillBenchmark.AppLoad.start(app, table, settings,
                        BackfillBenchmark.unrecorded());
                Thread.sleep(settings.idleMillis());
                idleLoad.stop();
                DbResults.Phase idle = idleLoad.phase("idle", 0, 0, 0, 0, "");

                log.accept(target.name() + ": item 11, backfill of " + rows + " rows");
                List<double[]> walked = new ArrayList<>();
                long[] started = {0};
                HeapSampler backfillHeap = HeapSampler.start();
                DbResults.Phase backfill = new BackfillBenchmark.PhaseRunner(admin, app, target, dialect, names,
                        checkpoints, settings, log).backfill(table, BackfillSettings.custom(), builder -> { },
                        BackfillBenchmark.unrecorded(), "backfill", p -> {
                            if (started[0] == 0) {
                                started[0] = System.nanoTime();
                            }
                            walked.add(new double[] {(System.nanoTime() - started[0]) / 1e9, p.rowsDone()});
                        });
                backfillHeap.stop();

                log.accept(target.name() + ": item 11, verification of " + rows + " rows");
                BackfillBenchmark.settle(admin, target, log);
                HeapSampler verifyHeap = HeapSampler.start();
                BackfillBenchmark.AppLoad verifyLoad = BackfillBenchmark.AppLoad.start(app, table, settings,
                        BackfillBenchmark.unrecorded());
                Thread.sleep(500);
                Migration migration = Migration.builder("bench-scale").table(table).keyColumn("id")
                        .legacyColumn("email").newColumn("email_normalized").build();
                HoldTimer timed = new HoldTimer(admin);
                long start = System.nanoTime();
                VerificationReport report = Verifier.builder(migration, timed, dialect)
                        .transform(Transform.sql(legacy -> DSL.lower(legacy.cast(String.class)))).build().verify();
                double seconds = (System.nanoTime() - start) / 1e9;
                Thread.sleep(200);
                verifyLoad.stop();
                verifyHeap.stop();
                if (!report.passed() || report.totalRows() != rows) {
                    throw new IllegalStateException("verification after the backfill: " + report.summary());
                }
                DbResults.Phase verification = verifyLoad.phase("verification", seconds, report.totalRows(),
                        timed.connections(), 0, "");
                return new DbResults.Scale(target.name(), rows, idle, backfill, verification, timed.longestMillis(),
                        walked, backfillHeap.maxAfterGc(), verifyHeap.maxAfterGc(),
                        Math.max(backfillHeap.maxUsed(), verifyHeap.maxUsed()), Runtime.getRuntime().maxMemory());
            } finally {
                for (String t : tables) {
                    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                        s.execute("drop table if exists " + t);
                    } catch (SQLException e) {
                        log.accept("could not drop " + t + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * Samples the heap every 100 ms on a daemon thread: the heap pools' usage after their last
     * collection (the live data a collection could not free) and the heap used at all.
     */
    static final class HeapSampler {
        private final AtomicLong maxAfterGc = new AtomicLong();
        private final AtomicLong maxUsed = new AtomicLong();
        private final Thread thread;
        private volatile boolean stopped;

        private HeapSampler() {
            thread = new Thread(this::loop, "flagway-bench-heap");
            thread.setDaemon(true);
        }

        static HeapSampler start() {
            HeapSampler sampler = new HeapSampler();
            sampler.thread.start();
            return sampler;
        }

        private void loop() {
            while (!stopped) {
                sample();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void sample() {
            long afterGc = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage collected = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
                if (collected != null) {
                    afterGc += collected.getUsed();
                }
            }
            maxAfterGc.accumulateAndGet(afterGc, Math::max);
            maxUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(5_000);
            sample();
        }

        long maxAfterGc() {
            return maxAfterGc.get();
        }

        long maxUsed() {
            return maxUsed.get();
        }
    }
}
