package dev.flagway.examples;

import dev.flagway.DualWriteRepository;
import dev.flagway.Flagway;
import dev.flagway.MigrationRuntime;
import dev.flagway.Stage;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.config.FlagwayConfigException;
import dev.flagway.config.FlagwayProperties;
import dev.flagway.config.FlagwaySettings;
import dev.flagway.jdbc.DataSourceTransactionRunner;
import dev.flagway.jdbc.RepairLog;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Runs a whole column migration under live traffic on an embedded H2 database: dual writes, a
 * backfill, shadow reads, the ramp to the new column, a fault the circuit breaker catches, and the
 * switch to the new column only. It exits non-zero if any promise is broken: a request that failed,
 * a write that was acknowledged but is not in the database, or columns that disagree.
 */
public final class MigrationDemo {
    private static final int THREADS = 4;

    private final PrintStream out;
    private final int users;
    private final int requestsPerPhase;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicBoolean fault = new AtomicBoolean();
    private final Map<Long, String> ledger = new ConcurrentHashMap<>();
    private final List<String> broken = new ArrayList<>();

    private MigrationDemo(PrintStream out, int users, int requestsPerPhase) {
        this.out = out;
        this.users = users;
        this.requestsPerPhase = requestsPerPhase;
    }

    /** Runs the demo; {@code --users N} and {@code --requests N} (per phase) size it. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the demo and returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        int users = 2_000;
        int requests = 4_000;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--users":
                        users = positive(args, ++i);
                        break;
                    case "--requests":
                        requests = positive(args, ++i);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option '" + args[i] + "'; known: --users N, --requests N");
                }
            }
            return new MigrationDemo(out, users, requests).run();
        } catch (IllegalArgumentException | IllegalStateException | SQLException | IOException e) {
            err.println("flagway demo: " + e.getMessage());
            return 2;
        }
    }

    private static int positive(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a number");
        }
        try {
            int value = Integer.parseInt(args[index]);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(args[index - 1] + " needs a positive number, not '" + args[index] + "'");
    }

    private int run() throws SQLException, IOException {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:flagway-demo;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE");
        seed(dataSource);

        InMemoryProvider flags = new InMemoryProvider(Map.of("users-email", stageFlag(Stage.OFF)));
        OpenFeatureAPI.getInstance().setProviderAndWait("flagway-demo", flags);
        DataSourceTransactionRunner transactions = new DataSourceTransactionRunner(dataSource);
        FlagwaySettings settings = FlagwayProperties.bind(loadProperties());
        try (Flagway flagway = Flagway.builder()
                .client(OpenFeatureAPI.getInstance().getClient("flagway-demo"))
                .settings(settings)
                .migration(settings.migration("users-email").orElseThrow().toBuilder()
                        .transform(value -> JdbcUserRepository.normalize((String) value)).build())
                .transactionRunner(transactions)
                .meterRegistry(meters)
                .build()) {
            MigrationRuntime migration = flagway.migration("users-email");
            UserRepository repository = DualWriteRepository.of(UserRepository.class)
                    .legacy(JdbcUserRepository.legacy(transactions.dataSource()))
                    .modern(JdbcUserRepository.modern(transactions.dataSource(), fault::get))
                    .migration(migration)
                    .wrap();

            out.printf("Flagway demo: %,d users on embedded H2, %d threads, %,d requests per phase%n%n",
                    users, THREADS, requestsPerPhase);
            out.printf("%-34s %9s %7s %9s %9s %9s%n", "phase", "requests", "failed", "legacy", "modern", "fallbacks");
            phase("OFF: legacy only", repository, flags, Stage.OFF);
            execute(dataSource, "alter table users add column if not exists email_normalized varchar(320)");
            phase("DUAL_WRITE: both columns", repository, flags, Stage.DUAL_WRITE);
            out.printf("   backfilled %,d rows%n", backfill(dataSource));
            checkColumnsAgree(dataSource, "after the backfill");
            phase("SHADOW: modern compared", repository, flags, Stage.SHADOW);
            phase("LIVE: modern with fallback", repository, flags, Stage.LIVE);
            AtomicReference<String> trip = new AtomicReference<>("none");
            migration.breaker().addListener(transition -> trip.compareAndSet("none", transition.description()));
            fault.set(true);
            phase("LIVE + injected modern fault", repository, flags, Stage.LIVE);
            boolean tripped = migration.breaker().state() == CircuitBreaker.State.OPEN;
            out.printf("   breaker %s: %s%n", tripped ? "tripped" : "DID NOT TRIP", trip.get());
            if (!tripped) {
                broken.add("the breaker did not trip on the injected fault");
            }
            fault.set(false);
            out.printf("   fault fixed; repaired %,d rows whose modern write failed%n", drainRepairs(dataSource));
            migration.breaker().reset("demo operator");
            phase("RAMP_DOWN: modern for everyone", repository, flags, Stage.RAMP_DOWN);
            checkColumnsAgree(dataSource, "before COMPLETE");
            phase("COMPLETE: modern only", repository, flags, Stage.COMPLETE);
            checkLedger(dataSource);
        }
        out.println();
        out.printf("shadow comparisons: %.0f match, %.0f mismatch; writes recorded for repair: %.0f%n",
                count("flagway.shadow.reads", "outcome", "match"), count("flagway.shadow.mismatches"),
                count("flagway.repairs"));
        if (broken.isEmpty()) {
            out.println("All promises kept: no failed request, no lost write, columns agree.");
            return 0;
        }
        broken.forEach(problem -> out.println("BROKEN: " + problem));
        return 1;
    }

    private void phase(String name, UserRepository repository, InMemoryProvider flags, Stage stage) {
        flags.updateFlag("users-email", stageFlag(stage));
        double legacyBefore = count("flagway.reads", "path", "legacy");
        double modernBefore = count("flagway.reads", "path", "modern");
        double fallbacksBefore = count("flagway.fallbacks");
        AtomicLong failed = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.add(pool.submit(() -> traffic(repository, thread, failed)));
            }
            for (Future<?> f : threads) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("traffic failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        out.printf("%-34s %,9d %,7d %,9.0f %,9.0f %,9.0f%n", name, requestsPerPhase, failed.get(),
                count("flagway.reads", "path", "legacy") - legacyBefore,
                count("flagway.reads", "path", "modern") - modernBefore,
                count("flagway.fallbacks") - fallbacksBefore);
        if (failed.get() > 0) {
            broken.add(failed.get() + " requests failed in phase " + name);
        }
    }

    /** One thread's share of a phase: 80% reads, 20% writes, each thread on its own users. */
    private void traffic(UserRepository repository, int thread, AtomicLong failed) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < requestsPerPhase / THREADS; i++) {
            long id = random.nextInt(users / THREADS) * (long) THREADS + thread + 1;
            try {
                if (random.nextInt(5) == 0) {
                    String email = " User" + id + "." + random.nextInt(1000) + "@Example.COM ";
                    repository.updateEmail(id, email);
                    ledger.put(id, JdbcUserRepository.normalize(email));
                } else {
                    repository.email(id);
                }
            } catch (RuntimeException e) {
                failed.incrementAndGet();
            }
        }
    }

    private void seed(DataSource dataSource) throws SQLException {
        execute(dataSource, "create table users (id bigint primary key, email varchar(320) not null)");
        try (Connection c = dataSource.getConnection();
             var insert = c.prepareStatement("insert into users (id, email) values (?, ?)")) {
            for (long id = 1; id <= users; id++) {
                insert.setLong(1, id);
                insert.setString(2, " User" + id + "@Example.com");
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Fills the new column in key-range batches (the backfill engine will replace this loop). */
    private long backfill(DataSource dataSource) throws SQLException {
        long done = 0;
        for (long from = 1; from <= users; from += 500) {
            done += update(dataSource, "update users set email_normalized = lower(trim(email)) "
                    + "where email_normalized is null and id between " + from + " and " + (from + 499));
        }
        return done;
    }

    /** Re-derives the new column for rows recorded for repair (the backfill engine will replace this loop). */
    private static long drainRepairs(DataSource dataSource) throws SQLException {
        RepairLog repairs = RepairLog.ofDefaults();
        long repaired = 0;
        try (Connection c = dataSource.getConnection();
             var fix = c.prepareStatement("update users set email_normalized = lower(trim(email)) where id = ?")) {
            for (RepairLog.Entry entry : repairs.pending(c, "users-email", Integer.MAX_VALUE)) {
                fix.setLong(1, Long.parseLong(entry.rowKey()));
                fix.executeUpdate();
                repairs.remove(c, "users-email", entry.rowKey());
                repaired++;
            }
        }
        return repaired;
    }

    private void checkColumnsAgree(DataSource dataSource, String when) throws SQLException {
        long disagreeing = queryLong(dataSource, "select count(*) from users "
                + "where email_normalized is null or email_normalized <> lower(trim(email))");
        out.printf("   verification %s: %,d rows disagree%n", when, disagreeing);
        if (disagreeing > 0) {
            broken.add(disagreeing + " rows disagree " + when);
        }
    }

    private void checkLedger(DataSource dataSource) throws SQLException {
        long lost = 0;
        try (Connection c = dataSource.getConnection();
             var ps = c.prepareStatement("select email_normalized from users where id = ?")) {
            for (Map.Entry<Long, String> write : ledger.entrySet()) {
                ps.setLong(1, write.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !write.getValue().equals(rs.getString(1))) {
                        lost++;
                    }
                }
            }
        }
        out.printf("   acknowledged writes checked: %,d, lost: %,d%n", ledger.size(), lost);
        if (lost > 0) {
            broken.add(lost + " acknowledged writes are not in the database");
        }
    }

    private double count(String name, String... tags) {
        return meters.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static Flag<String> stageFlag(Stage stage) {
        return Flag.<String>builder().variant(stage.flagValue(), stage.flagValue()).defaultVariant(stage.flagValue()).build();
    }

    private static Properties loadProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = MigrationDemo.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IOException("application.properties is missing from the classpath");
            }
            properties.load(in);
        }
        return properties;
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        update(dataSource, sql);
    }

    private static int update(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    private static long queryLong(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
