package dev.flagway.bench.db;

import com.zaxxer.hikari.HikariDataSource;
import dev.flagway.routing.DualWriteRepository;
import dev.flagway.routing.Flagway;
import dev.flagway.Migration;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.ShadowConfig;
import dev.flagway.Stage;
import dev.flagway.bench.jmh.EmailRepository;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.DataSourceTransactionRunner;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.openfeature.FlagAdmin;
import dev.flagway.openfeature.FlagwayProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Items 4, 5, 7 and 9 against one real database: routed point reads vs plain ones, dual writes vs
 * single ones, the breaker's reaction to a modern-path error rate, and LaunchDarkly's migration API
 * beside Flagway under failures. Everything runs on tables of
 * its own ({@link BenchTables}), with flags in Flagway's provider on the same database, and is
 * dropped afterwards.
 */
public final class DbBenchmarks implements AutoCloseable {
    static final String READ_FLAG = "users-email";
    static final String TRIP_FLAG = "users-email-trip";
    static final String UNSAMPLED_FLAG = "users-email-unsampled";
    static final String PEER_FLAG = "users-email-peer";

    private final DbTarget target;
    private final DbSettings settings;
    private final Consumer<String> log;
    private final HikariDataSource pool;
    private final BenchTables tables;
    private final DataSourceTransactionRunner runner;
    private final FlagwayProvider provider;
    private final FlagAdmin admin;
    private final Flagway flagway;
    private final AtomicLong fallbacks = new AtomicLong();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final JdbcEmailRepository legacy;
    private final JdbcEmailRepository modern;
    private final String legacyUpdate;
    private final String modernUpdate;

    /** Creates the tables and flags and starts Flagway on {@code target}. */
    public DbBenchmarks(DbTarget target, DbSettings settings, Consumer<String> log) throws SQLException {
        this.target = target;
        this.settings = settings;
        this.log = log;
        this.pool = target.pool(6);
        this.tables = new BenchTables(pool);
        boolean started = false;
        try {
            tables.createUsers(settings.rows(), true);
            runner = new DataSourceTransactionRunner(pool);
            provider = FlagwayProvider.builder(pool).tablePrefix(tables.flagTablePrefix()).build();
            admin = provider.admin();
            admin.createTables();
            admin.createMigrationFlag(READ_FLAG, Stage.LIVE, "bench", "items 4 and 5: live at 100%");
            admin.createMigrationFlag(TRIP_FLAG, Stage.LIVE, "bench", "item 7: live at 100%");
            admin.createMigrationFlag(UNSAMPLED_FLAG, Stage.LIVE, "bench", "item 4 without live sampling");
            admin.createMigrationFlag(PEER_FLAG, Stage.LIVE, "bench", "item 9: live at 100%");
            String domain = "flagway-bench-db-" + target.name().toLowerCase(Locale.ROOT) + "-" + tables.users();
            OpenFeatureAPI.getInstance().setProviderAndWait(domain, provider);
            Client client = OpenFeatureAPI.getInstance().getClient(domain);
            flagway = Flagway.builder()
                    .client(client)
                    .migration(migration(READ_FLAG))
                    .migration(migration(TRIP_FLAG))
                    .migration(migration(PEER_FLAG))
                    .migration(migration(UNSAMPLED_FLAG).toBuilder()
                            .shadow(ShadowConfig.custom().liveSampleRate(0).build()).build())
                    .meterRegistry(meters)
                    .transactionRunner(runner)
                    .repairLog(RepairLog.named(tables.repair()))
                    .badRowLog(BadRowLog.named(tables.badRows()))
                    .flagStateStore(provider.flagStateStore())
                    .fallbackListener(id -> fallbacks.incrementAndGet())
                    .build();
            legacy = JdbcEmailRepository.legacy(runner.dataSource(), tables.users());
            modern = JdbcEmailRepository.modern(runner.dataSource(), tables.users());
            legacyUpdate = "update " + tables.users() + " set email = ? where id = ?";
            modernUpdate = "update " + tables.users() + " set email_normalized = ? where id = ?";
            started = true;
        } finally {
            if (!started) {
                closeQuietly();
            }
        }
    }

    private Migration migration(String id) {
        return Migration.builder(id).flag(id).table(tables.users()).keyColumn("id")
                .legacyColumn("email").newColumn("email_normalized")
                .transform(v -> v == null ? null : v.toString().toLowerCase(Locale.ROOT))
                .build();
    }

    private EmailRepository routed(String migrationId, EmailRepository modernRepository) {
        return DualWriteRepository.of(EmailRepository.class).legacy(legacy).modern(modernRepository)
                .migration(flagway.migration(migrationId)).wrap();
    }

    /** Runs items 4, 5 and 7. */
    public DbResults.OnDatabase runAll() throws Exception {
        String version = target.serverVersion();
        log.accept(target.name() + ": item 4, routed point reads");
        DbResults.Reads reads = reads();
        log.accept(target.name() + ": item 5, dual writes");
        DbResults.Writes writes = writes();
        CircuitBreaker.State readBreaker = flagway.migration(READ_FLAG).breaker().state();
        if (readBreaker != CircuitBreaker.State.CLOSED) {
            throw new IllegalStateException("the breaker of items 4 and 5 left CLOSED: " + readBreaker);
        }
        resync();
        log.accept(target.name() + ": item 7, breaker reaction");
        DbResults.Trip trip = trip();
        return new DbResults.OnDatabase(target.name(), version, reads, writes, trip);
    }

    /** Item 9: LaunchDarkly's migration API and Flagway at {@code live} under failures. */
    public DbResults.PeerFailures peers() throws SQLException {
        resync();
        log.accept(target.name() + ": item 9, LaunchDarkly and Flagway under failures");
        return new LaunchDarklyFailures(pool, runner.dataSource(), tables.users(), flagway.migration(PEER_FLAG), admin,
                tables.repair(), meters, settings).run(target.name());
    }

    // ------------------------------------------------------------------ item 4

    /**
     * Item 4: plain vs routed point reads of the new column, alternating call by call; routed with the
     * default settings (1% of LIVE reads compared with a legacy read on the shadow pool) and with that
     * sampling off.
     */
    public DbResults.Reads reads() {
        EmailRepository proxy = routed(READ_FLAG, modern);
        EmailRepository unsampled = routed(UNSAMPLED_FLAG, modern);
        List<LongConsumer> variants = List.of(modern::email, proxy::email, unsampled::email);
        Comparison c = compare(variants, settings.reads(), new SplittableRandom(4));
        return new DbResults.Reads(target.name(), c.overall(0), c.overall(1), c.overall(2),
                c.repetitions(1, 0), c.repetitions(2, 0));
    }

    /**
     * Per-variant latencies, overall and per repetition.
     *
     * @param overall every measured call of each variant
     * @param perRepetition for each repetition, each variant's summary
     */
    record Comparison(List<Latencies> overall, List<List<Latencies.Summary>> perRepetition) {
        Latencies.Summary overall(int variant) {
            return overall.get(variant).summary();
        }

        /** Variant {@code a} against variant {@code b} in each repetition. */
        List<DbResults.RatioPair> repetitions(int a, int b) {
            List<DbResults.RatioPair> ratios = new ArrayList<>();
            for (List<Latencies.Summary> rep : perRepetition) {
                ratios.add(new DbResults.RatioPair(rep.get(a).meanNanos() / rep.get(b).meanNanos(),
                        (double) rep.get(a).p50Nanos() / rep.get(b).p50Nanos()));
            }
            return ratios;
        }
    }

    /**
     * Warms all variants up for {@link DbSettings#warmupMillis()}, then calls each {@code calls} times
     * in {@link DbSettings#repetitions()} repetitions, the variants taking turns call by call in a
     * rotating order, so that drift and bursts of load from other processes hit every variant alike.
     */
    private Comparison compare(List<LongConsumer> variants, int calls, SplittableRandom random) {
        int rows = settings.rows();
        long warmUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.warmupMillis());
        int warmed = 0;
        while (System.nanoTime() < warmUntil || warmed < 10) {
            for (LongConsumer variant : variants) {
                variant.accept(random.nextLong(1, rows + 1));
            }
            warmed++;
        }
        int n = variants.size();
        List<Latencies> overall = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            overall.add(new Latencies(calls));
        }
        List<List<Latencies.Summary>> perRepetition = new ArrayList<>();
        int repetitions = settings.repetitions();
        int perRep = Math.max(1, calls / repetitions);
        int i = 0;
        for (int rep = 0; rep < repetitions; rep++) {
            List<Latencies> these = new ArrayList<>();
            for (int v = 0; v < n; v++) {
                these.add(new Latencies(perRep));
            }
            for (int k = 0; k < perRep; k++, i++) {
                for (int turn = 0; turn < n; turn++) {
                    int v = (turn + i) % n;
                    long id = random.nextLong(1, rows + 1);
                    long start = System.nanoTime();
                    variants.get(v).accept(id);
                    long nanos = System.nanoTime() - start;
                    overall.get(v).add(nanos);
                    these.get(v).add(nanos);
                }
            }
            List<Latencies.Summary> summaries = new ArrayList<>();
            these.forEach(l -> summaries.add(l.summary()));
            perRepetition.add(summaries);
        }
        return new Comparison(overall, perRepetition);
    }

    // ------------------------------------------------------------------ item 5

    /** Item 5: one UPDATE vs two in a transaction vs two with a savepoint vs Flagway's dual write. */
    public DbResults.Writes writes() {
        EmailRepository proxy = routed(READ_FLAG, modern);
        List<LongConsumer> variants = List.of(
                id -> legacy.updateEmail(id, email(id)),
                id -> manual(id, false),
                id -> manual(id, true),
                id -> proxy.updateEmail(id, email(id)));
        Comparison c = compare(variants, settings.writes(), new SplittableRandom(5));
        return new DbResults.Writes(target.name(), c.overall(0), c.overall(1), c.overall(2), c.overall(3),
                c.repetitions(3, 0), c.repetitions(3, 2));
    }

    private static String email(long id) {
        return "User." + id + "." + ThreadLocalRandom.current().nextInt(1000) + "@Example.com";
    }

    /** The dual write written by hand, with the same connection handling as Flagway's runner. */
    private void manual(long id, boolean savepoint) {
        String email = email(id);
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(legacyUpdate)) {
                    ps.setString(1, email);
                    ps.setLong(2, id);
                    ps.executeUpdate();
                }
                Savepoint sp = savepoint ? c.setSavepoint() : null;
                try (PreparedStatement ps = c.prepareStatement(modernUpdate)) {
                    ps.setString(1, email.toLowerCase(Locale.ROOT));
                    ps.setLong(2, id);
                    ps.executeUpdate();
                }
                if (sp != null) {
                    c.releaseSavepoint(sp);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Item 5's single writes changed only the legacy column; derives the new column again so that
     * item 7's shadow comparisons see agreeing columns (a mismatch rate would trip the breaker too).
     */
    private void resync() throws SQLException {
        try (Connection c = pool.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("update " + tables.users() + " set email_normalized = lower(email)");
        }
    }

    // ------------------------------------------------------------------ item 7

    /**
     * Item 7: two callers read through the proxy in LIVE at 100% with a healthy modern path; then
     * {@link DbSettings#tripErrorRate()} of the modern reads start failing (server errors). Counts
     * calls and time to the trip, and the errors that reached the callers.
     */
    public DbResults.Trip trip() throws InterruptedException {
        JdbcEmailRepository failing = JdbcEmailRepository.modern(runner.dataSource(), tables.users());
        EmailRepository proxy = routed(TRIP_FLAG, failing);
        MigrationRuntime runtime = flagway.migration(TRIP_FLAG);
        AtomicLong calls = new AtomicLong();
        AtomicLong callerErrors = new AtomicLong();
        AtomicReference<Throwable> firstCallerError = new AtomicReference<>();
        AtomicLong tripNanos = new AtomicLong();
        AtomicLong callsAtTrip = new AtomicLong();
        AtomicLong failuresAtTrip = new AtomicLong();
        AtomicLong modernReadsAtTrip = new AtomicLong();
        AtomicReference<String> reason = new AtomicReference<>("");
        CountDownLatch tripped = new CountDownLatch(1);
        runtime.breaker().addListener(transition -> {
            if (transition.to() == CircuitBreaker.State.OPEN && tripped.getCount() > 0) {
                tripNanos.set(System.nanoTime());
                callsAtTrip.set(calls.get());
                failuresAtTrip.set(failing.injectedFailures());
                modernReadsAtTrip.set(failing.reads());
                reason.set(transition.description());
                tripped.countDown();
            }
        });
        int rows = settings.rows();
        Thread[] callers = new Thread[2];
        boolean[] stop = {false};
        Object lock = new Object();
        for (int t = 0; t < callers.length; t++) {
            callers[t] = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (true) {
                    synchronized (lock) {
                        if (stop[0]) {
                            return;
                        }
                    }
                    try {
                        proxy.email(random.nextLong(1, rows + 1));
                    } catch (Throwable e) {
                        callerErrors.incrementAndGet();
                        firstCallerError.compareAndSet(null, e);
                    }
                    calls.incrementAndGet();
                }
            }, "flagway-bench-caller-" + t);
            callers[t].setDaemon(true);
        }
        long start = System.nanoTime();
        for (Thread caller : callers) {
            caller.start();
        }
        Thread.sleep(settings.tripWarmMillis());
        long windowAtOnset = runtime.breaker().snapshot().calls();
        long callsAtOnset = calls.get();
        long failuresAtOnset = failing.injectedFailures();
        long onset = System.nanoTime();
        failing.failReads(settings.tripErrorRate());
        boolean didTrip = tripped.await(settings.tripTimeoutMillis(), TimeUnit.MILLISECONDS);
        double flagDisabledMillis = -1;
        if (didTrip) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (!admin.get(TRIP_FLAG).enabled()) {
                    flagDisabledMillis = (System.nanoTime() - tripNanos.get()) / 1e6;
                    break;
                }
                Thread.sleep(5);
            }
            Thread.sleep(Math.max(200, settings.tripWarmMillis() / 3)); // callers keep reading, now from legacy
        }
        synchronized (lock) {
            stop[0] = true;
        }
        for (Thread caller : callers) {
            caller.join(10_000);
        }
        long end = System.nanoTime();
        failing.failReads(0);
        if (firstCallerError.get() != null) {
            log.accept("first error that reached a caller: " + firstCallerError.get());
        }
        return new DbResults.Trip(target.name(), settings.tripErrorRate(), windowAtOnset, didTrip,
                didTrip ? callsAtTrip.get() - callsAtOnset : -1,
                didTrip ? (tripNanos.get() - onset) / 1e6 : -1,
                didTrip ? failuresAtTrip.get() - failuresAtOnset : failing.injectedFailures() - failuresAtOnset,
                callerErrors.get(), fallbacks.get(),
                didTrip ? failing.reads() - modernReadsAtTrip.get() : -1,
                flagDisabledMillis, reason.get(),
                calls.get() / ((end - start) / 1e9));
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (flagway != null) {
            flagway.close();
        }
        if (provider != null) {
            provider.shutdown();
        }
        tables.close();
        pool.close();
    }
}
