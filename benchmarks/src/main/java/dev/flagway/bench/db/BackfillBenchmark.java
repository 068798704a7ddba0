package dev.flagway.bench.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.flagway.Migration;
import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillListener;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.BackfillState;
import dev.flagway.backfill.LatencySignal;
import dev.flagway.backfill.Transform;
import dev.flagway.dialect.Dialect;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.postgres.PostgresDialect;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jooq.impl.DSL;

/**
 * Item 6 on PostgreSQL or MySQL/MariaDB: Flagway's backfill engine vs one plain {@code UPDATE t SET new = lower(old)}
 * over the whole table, each on its own freshly loaded, vacuumed table of {@code rows} rows, with
 * application queries (a point read and a point write, in turn, paced) running before and during
 * each. The application's connections use a lock timeout ({@code lock_timeout} on PostgreSQL,
 * {@code innodb_lock_wait_timeout} on MySQL/MariaDB); a query that hits it is counted.
 */
public final class BackfillBenchmark {
    /** SQLSTATE lock_not_available: PostgreSQL's lock timeout. */
    private static final String LOCK_TIMEOUT = "55P03";
    /** ER_LOCK_WAIT_TIMEOUT: InnoDB's lock wait timeout. */
    private static final int MYSQL_LOCK_WAIT_TIMEOUT = 1205;

    /**
     * How the item runs.
     *
     * @param rows rows in each table
     * @param idleMillis how long the application runs alone first
     * @param appThreads application threads
     * @param appIntervalMicros one thread's query schedule: a query is due every this many µs; its
     *     service time counts from when it started, its response time from when it was due (so a
     *     stalled query is charged to the ones queued behind it too, as a user would see it)
     * @param lockTimeoutMillis the application's lock_timeout
     * @param tunedMaxBatch the maximum batch of the second, tuned backfill (health signals off); 0: no such run
     * @param latencySignal whether a default backfill also runs with a {@link LatencySignal} on the
     *     application's service time, its baseline taken over {@code idleMillis} of the application alone
     * @param restRatios the rest ratios of default backfills run with one, each on a table of its own:
     *     1.0 works half the time, 3.0 a quarter, which leaves one of two CPUs idle or more
     */
    public record Settings(int rows, long idleMillis, int appThreads, long appIntervalMicros, long lockTimeoutMillis,
                           int tunedMaxBatch, boolean latencySignal, List<Double> restRatios) {
        /** The size: 1,000,000 rows. */
        public static Settings standard() {
            return new Settings(1_000_000, 5_000, 2, 5_000, 2_000, 50_000, true, List.of(1.0, 3.0));
        }

        /** The same with {@code count} rows. */
        public Settings withRows(int count) {
            return new Settings(count, idleMillis, appThreads, appIntervalMicros, lockTimeoutMillis, tunedMaxBatch,
                    latencySignal, restRatios);
        }

        /** The settings in a sentence, for the report. */
        public String describe() {
            return "On each database, " + (3 + (tunedMaxBatch > 0 ? 1 : 0) + (latencySignal ? 1 : 0) + restRatios.size())
                    + " identical tables of " + rows + " rows (`email` filled, `email_normalized` "
                    + "NULL), vacuumed. " + appThreads + " application threads alternate a point read and a point "
                    + "write (`UPDATE … SET email = ?, email_normalized = lower(?) WHERE id = ?`, autocommit) on "
                    + "random ids, one query due every " + appIntervalMicros + " µs per thread (service time from the "
                    + "query's start; response time from when it was due, free of coordinated omission), with "
                    + "a lock timeout of " + lockTimeoutMillis
                    + " ms (`lock_timeout` on PostgreSQL, `innodb_lock_wait_timeout` on MariaDB and MySQL): first " + idleMillis + " ms alone (idle), then during `UPDATE t SET email_normalized = "
                    + "lower(email)` on one table, then during `Backfill` (default `BackfillSettings`: 200 ms target "
                    + "batches of 10–" + String.format(Locale.ROOT, "%,d", BackfillSettings.ofDefaults().maxBatchSize())
                    + " rows, the dialect's default health signals; SQL transform `lower(email)`) on the other"
                    + (tunedMaxBatch > 0 ? "; to show where the default's time goes, a backfill "
                    + "with the health signals off and batches of up to " + tunedMaxBatch + " rows" : "")
                    + (latencySignal ? "; a default backfill plus a `LatencySignal` (defaults: throttle at 1.5×, "
                    + "critical at 3× the baseline mean) on a Micrometer timer of the application's service time, "
                    + "its baseline the " + idleMillis + " ms of the application alone just before" : "")
                    + "; a default backfill that also rewrites differing rows (`reverify(true)`, as the lifecycle's "
                    + "backfill runs)"
                    + restRatios.stream().map(r -> "; a default backfill with `restRatio(" + r + ")`")
                            .collect(java.util.stream.Collectors.joining())
                    + "; each on a table of its own, and on PostgreSQL after a `CHECKPOINT`, so that no phase pays for "
                    + "the previous one's checkpoints.";
        }
    }

    private BackfillBenchmark() {
    }

    /** Runs item 6 on {@code target} (PostgreSQL). */
    public static DbResults.Backfill run(DbTarget target, Settings settings, Consumer<String> log) throws Exception {
        try (HikariDataSource admin = target.pool(4); HikariDataSource app = appPool(target, settings)) {
            Dialect dialect = target.isMySql() ? MySqlDialect.detect(admin) : new PostgresDialect();
            BenchTables names = new BenchTables(admin);
            String updated = names.users() + "_u";
            String backfilled = names.users() + "_b";
            String tunedTable = names.users() + "_t";
            String guardedTable = names.users() + "_l";
            String rederivedTable = names.users() + "_d";
            List<String> restingTables = new ArrayList<>();
            for (int i = 0; i < settings.restRatios().size(); i++) {
                restingTables.add(names.users() + "_r" + i);
            }
            String checkpoints = names.users() + "_backfill";
            List<String> tables = new ArrayList<>(List.of(updated, backfilled, tunedTable, guardedTable, rederivedTable,
                    checkpoints,
                    names.repair(), names.badRows()));
            tables.addAll(restingTables);
            try {
                log.accept(target.name() + ": item 6, loading the tables of " + settings.rows() + " rows");
                load(admin, target, updated, settings.rows(), false);
                load(admin, target, backfilled, settings.rows(), false);
                load(admin, target, rederivedTable, settings.rows(), false);
                if (settings.tunedMaxBatch() > 0) {
                    load(admin, target, tunedTable, settings.rows(), false);
                }
                if (settings.latencySignal()) {
                    load(admin, target, guardedTable, settings.rows(), false);
                }
                for (String restingTable : restingTables) {
                    load(admin, target, restingTable, settings.rows(), false);
                }

                settle(admin, target, log);
                log.accept(target.name() + ": item 6, idle application for " + settings.idleMillis() + " ms");
                AppLoad idleLoad = AppLoad.start(app, updated, settings, unrecorded());
                Thread.sleep(settings.idleMillis());
                idleLoad.stop();
                DbResults.Phase idle = idleLoad.phase("idle", 0, 0, 0, 0, "");

                settle(admin, target, log);
                log.accept(target.name() + ": item 6, plain UPDATE");
                AppLoad updateLoad = AppLoad.start(app, updated, settings, unrecorded());
                Thread.sleep(500);
                long start = System.nanoTime();
                long rows;
                try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                    rows = s.executeUpdate("update " + updated + " set email_normalized = lower(email)");
                }
                double updateSeconds = (System.nanoTime() - start) / 1e9;
                Thread.sleep(200);
                updateLoad.stop();
                DbResults.Phase update = updateLoad.phase("plain UPDATE", updateSeconds, rows, 1, 0, "");

                log.accept(target.name() + ": item 6, backfill with default settings");
                PhaseRunner on = new PhaseRunner(admin, app, target, dialect, names, checkpoints, settings, log);
                DbResults.Phase backfill = on.backfill(backfilled, BackfillSettings.custom(), builder -> { },
                        unrecorded(), "backfill");
                DbResults.Phase tuned = null;
                if (settings.tunedMaxBatch() > 0) {
                    log.accept(target.name() + ": item 6, backfill with health signals off, batches up to "
                            + settings.tunedMaxBatch());
                    tuned = on.backfill(tunedTable, BackfillSettings.custom().maxBatchSize(settings.tunedMaxBatch()),
                            builder -> builder.healthSignals(List.of()), unrecorded(), "backfill, tuned");
                }
                List<DbResults.Phase> guarded = new ArrayList<>();
                log.accept(target.name() + ": item 6, backfill rewriting differing rows too, as the lifecycle's does");
                guarded.add(on.backfill(rederivedTable, BackfillSettings.custom().reverify(true), builder -> { },
                        unrecorded(), "backfill, re-deriving (lifecycle)"));
                if (settings.latencySignal()) {
                    log.accept(target.name() + ": item 6, backfill with a latency signal, its baseline over "
                            + settings.idleMillis() + " ms of the application alone");
                    Timer service = new SimpleMeterRegistry().timer("bench.app.service");
                    LatencySignal latency = LatencySignal.of(service);
                    AppLoad before = AppLoad.start(app, guardedTable, settings, service);
                    Thread.sleep(settings.idleMillis() - 500);
                    before.stop();
                    guarded.add(on.backfill(guardedTable, BackfillSettings.custom(),
                            builder -> builder.addHealthSignal(latency), service, "backfill, latency signal"));
                }
                for (int i = 0; i < restingTables.size(); i++) {
                    double ratio = settings.restRatios().get(i);
                    log.accept(target.name() + ": item 6, backfill with rest ratio " + ratio);
                    guarded.add(on.backfill(restingTables.get(i), BackfillSettings.custom().restRatio(ratio),
                            builder -> { }, unrecorded(), "backfill, rest ratio " + ratio));
                }
                return new DbResults.Backfill(target.name(), settings.rows(), settings.lockTimeoutMillis(), idle, update,
                        backfill, tuned, settings.tunedMaxBatch(), guarded);
            } finally {
                for (String table : tables) {
                    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                        s.execute("drop table if exists " + table);
                    } catch (SQLException e) {
                        log.accept("could not drop " + table + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    /** What every backfill phase runs on. */
    record PhaseRunner(HikariDataSource admin, HikariDataSource app, DbTarget target, Dialect dialect,
                               BenchTables names, String checkpoints, Settings settings, Consumer<String> log) {
        /**
         * One backfill of {@code table} under application load, timed from its start; {@code signals}
         * adjusts the builder's health signals, {@code service} also receives the application's service times.
         */
        DbResults.Phase backfill(String table, BackfillSettings.Builder backfillSettings,
                                 Consumer<Backfill.Builder> signals, Timer service, String name) throws Exception {
            return backfill(table, backfillSettings, signals, service, name, progress -> { });
        }

        /** As above; {@code also} sees the backfill's progress too. */
        DbResults.Phase backfill(String table, BackfillSettings.Builder backfillSettings, Consumer<Backfill.Builder> signals,
                                 Timer service, String name, BackfillListener also) throws Exception {
            settle(admin, target, log);
            AppLoad load = AppLoad.start(app, table, settings, service);
            Thread.sleep(500);
            Migration migration = Migration.builder("bench-" + table.replace('_', '-')).table(table).keyColumn("id")
                    .legacyColumn("email").newColumn("email_normalized").build();
            Set<String> throttles = new TreeSet<>();
            AtomicInteger largestBatch = new AtomicInteger();
            Backfill.Builder builder = Backfill.builder(migration, admin, dialect)
                    .settings(backfillSettings.checkpointTable(checkpoints).repairTable(names.repair())
                            .badRowTable(names.badRows()).build())
                    .transform(Transform.sql(legacy -> DSL.lower(legacy.cast(String.class))))
                    .listener(p -> {
                        also.onProgress(p);
                        largestBatch.accumulateAndGet(p.batchSize(), Math::max);
                        if (p.throttleReason() != null) {
                            throttles.add(p.throttleReason().replaceAll(":.*", ""));
                        }
                    });
            signals.accept(builder);
            long start = System.nanoTime();
            BackfillResult result = builder.build().run();
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(200);
            load.stop();
            if (result.state() != BackfillState.COMPLETED) {
                throw new IllegalStateException("backfill ended " + result);
            }
            long missing = count(admin, "select count(*) from " + table + " where email_normalized is null");
            if (missing != 0) {
                throw new IllegalStateException(missing + " rows left without a new value after " + result);
            }
            log.accept(name + ": " + result);
            return load.phase(name, seconds, result.rowsUpdatedThisRun(), result.batches(), largestBatch.get(),
                    String.join("; ", throttles));
        }
    }

    /**
     * On PostgreSQL, a {@code CHECKPOINT} before each phase, so that no phase pays for the previous
     * one's full-page writes and checkpoints (a plain UPDATE of a million rows sets off several). On
     * MySQL/MariaDB nothing: InnoDB has no statement that flushes its dirty pages on demand.
     */
    static void settle(HikariDataSource admin, DbTarget target, Consumer<String> log) {
        if (target.isMySql()) {
            return;
        }
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("checkpoint");
        } catch (SQLException e) {
            log.accept(target.name() + ": could not run CHECKPOINT before a phase (" + e.getMessage()
                    + "); phases may pay for each other's checkpoints");
        }
    }

    /** A timer no one reads, for the phases without a latency signal. */
    static Timer unrecorded() {
        return new SimpleMeterRegistry().timer("bench.app.service");
    }

    static HikariDataSource appPool(DbTarget target, Settings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.url());
        config.setUsername(target.user());
        config.setPassword(target.password());
        config.setMaximumPoolSize(settings.appThreads());
        config.setMinimumIdle(settings.appThreads());
        config.setPoolName("flagway-bench-app");
        config.setConnectionInitSql(target.isMySql()
                ? "set session innodb_lock_wait_timeout = " + Math.max(1, (settings.lockTimeoutMillis() + 999) / 1000)
                : "set lock_timeout = '" + settings.lockTimeoutMillis() + "ms'");
        return new HikariDataSource(config);
    }

    /**
     * Creates {@code table} with {@code rows} rows, ids 1..rows, {@code email} = {@code User.<id>@Example.com}
     * and {@code email_normalized} NULL, or already {@code lower(email)} when {@code filled}; then analyzes it.
     */
    static void load(DataSource ds, DbTarget target, String table, int rows, boolean filled) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table " + table + " (id bigint primary key, email varchar(255) not null,"
                    + " email_normalized varchar(255))");
            if (target.isH2()) {
                String email = "'User.' || \"X\" || '@Example.com'";
                s.executeUpdate("insert into " + table + " (id, email, email_normalized) select \"X\", " + email + ", "
                        + (filled ? "lower(" + email + ")" : "null") + " from system_range(1, " + rows + ")");
                return;
            }
            if (!target.isMySql()) {
                String email = "'User.' || g || '@Example.com'";
                s.executeUpdate("insert into " + table + " (id, email, email_normalized) select g, " + email + ", "
                        + (filled ? "lower(" + email + ")" : "null") + " from generate_series(1, " + rows + ") g");
                s.execute("vacuum analyze " + table);
                return;
            }
            String product = c.getMetaData().getDatabaseProductVersion();
            if (product.toLowerCase(Locale.ROOT).contains("mariadb")) {
                // MariaDB's SEQUENCE engine
                String email = "concat('User.', seq, '@Example.com')";
                s.executeUpdate("insert into " + table + " (id, email, email_normalized) select seq, " + email + ", "
                        + (filled ? "lower(" + email + ")" : "null") + " from seq_1_to_" + rows);
            } else {
                String email = "concat('User.', n, '@Example.com')";
                s.execute("set session cte_max_recursion_depth = " + (rows + 1));
                s.executeUpdate("insert into " + table + " (id, email, email_normalized) with recursive g(n) as "
                        + "(select 1 union all select n + 1 from g where n < " + rows + ") select n, " + email + ", "
                        + (filled ? "lower(" + email + ")" : "null") + " from g");
            }
            s.execute("analyze table " + table);
        }
    }

    private static long count(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The application's queries on one table, from start to stop. */
    static final class AppLoad {
        final Latencies all = new Latencies(100_000);
        final Latencies response = new Latencies(100_000);
        final Latencies reads = new Latencies(50_000);
        final Latencies writes = new Latencies(50_000);
        final AtomicLong lockTimeouts = new AtomicLong();
        final AtomicLong slowestNanos = new AtomicLong();
        final AtomicLong otherErrors = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();
        private final Timer service;
        private final CpuIdle started = CpuIdle.now();
        private CpuIdle stoppedAt;
        private volatile boolean stopped;

        private AppLoad(Timer service) {
            this.service = service;
        }

        static AppLoad start(HikariDataSource app, String table, Settings settings, Timer service) {
            AppLoad load = new AppLoad(service);
            String read = "select email, email_normalized from " + table + " where id = ?";
            String write = "update " + table + " set email = ?, email_normalized = lower(?) where id = ?";
            for (int t = 0; t < settings.appThreads(); t++) {
                Thread thread = new Thread(() -> load.loop(app, read, write, settings), "flagway-bench-app-" + t);
                thread.setDaemon(true);
                load.threads.add(thread);
                thread.start();
            }
            return load;
        }

        private void loop(HikariDataSource app, String read, String write, Settings settings) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            boolean writeNext = false;
            long interval = TimeUnit.MICROSECONDS.toNanos(settings.appIntervalMicros());
            long due = System.nanoTime() + random.nextLong(interval);
            while (!stopped) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long id = random.nextLong(1, settings.rows() + 1);
                long start = System.nanoTime();
                try (Connection c = app.getConnection();
                     PreparedStatement ps = c.prepareStatement(writeNext ? write : read)) {
                    if (writeNext) {
                        String email = "User." + id + "." + random.nextInt(1000) + "@Example.com";
                        ps.setString(1, email);
                        ps.setString(2, email.toLowerCase(Locale.ROOT));
                        ps.setLong(3, id);
                        ps.executeUpdate();
                    } else {
                        ps.setLong(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                        }
                    }
                } catch (SQLException e) {
                    if (LOCK_TIMEOUT.equals(e.getSQLState()) || e.getErrorCode() == MYSQL_LOCK_WAIT_TIMEOUT) {
                        lockTimeouts.incrementAndGet();
                    } else {
                        otherErrors.incrementAndGet();
                    }
                }
                long end = System.nanoTime();
                long nanos = end - start;
                service.record(nanos, TimeUnit.NANOSECONDS);
                synchronized (all) {
                    all.add(nanos);
                    response.add(end - due);
                    (writeNext ? writes : reads).add(nanos);
                }
                slowestNanos.accumulateAndGet(nanos, Math::max);
                writeNext = !writeNext;
                due += interval;
            }
        }

        DbResults.Phase phase(String name, double seconds, long rows, long batches, int largestBatch,
                              String throttles) {
            synchronized (all) {
                return new DbResults.Phase(name, seconds, rows, batches, largestBatch, throttles, all.summary(),
                        reads.summary(), writes.summary(), response.summary(), lockTimeouts.get(),
                        slowestNanos.get() / 1e6, stoppedAt.idleSince(started));
            }
        }

        void stop() throws InterruptedException {
            stoppedAt = CpuIdle.now();
            stopped = true;
            for (Thread thread : threads) {
                thread.join(30_000);
            }
            if (otherErrors.get() > 0) {
                throw new IllegalStateException(otherErrors.get() + " application queries failed other than by "
                        + "lock timeout");
            }
        }
    }
}
