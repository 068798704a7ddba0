package dev.flagway.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.DualWrite;
import dev.flagway.FlagRouted;
import dev.flagway.RowKey;
import dev.flagway.ShadowConfig;
import dev.flagway.TargetingKey;
import dev.flagway.backfill.BackfillState;
import dev.flagway.breaker.BreakerConfig;
import dev.flagway.config.FlagwaySettings;
import dev.flagway.lifecycle.LifecyclePhase;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.lifecycle.RolloutStatus;
import dev.flagway.routing.DualWriteRepository;
import dev.flagway.schema.AuditEvent;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.testing.TestDatabase;
import dev.flagway.internal.DelegatingDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A whole automatic run from expand to contract under traffic, with a short plan (10%, 50%, 100%, held
 * 400 ms, ticks of 50 ms, health published every 100 ms) and a business cycle of one second: two
 * application instances on one database, each with its own provider, Flagway, transaction runner and
 * lifecycles, and three application threads on each reading and writing through a routed repository
 * the whole time. The operator makes the moves up to the rollout's start and from ramp down on; the
 * controller of the fleet makes the rollout's steps.
 */
class AutomaticMigrationUnderTrafficTest {
    private static final String OPS = "ops@example.com";
    private static final String WHY = "CHG-3001";
    private static final int ROWS = 120;
    private static final int THREADS_PER_INSTANCE = 3;
    /** Polls of {@link Fixture#within} (100 ms each) before a wait fails: one minute. */
    private static final int DEADLINE = 600;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB"})
    void twoInstancesUnderTrafficGoFromExpandToContractWithoutAnErrorAWrongAnswerOrALostWrite(TestDatabase db)
            throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, ROWS)) {
            env.migration = env.migration.toBuilder().rolloutSteps(List.of(10.0, 50.0, 100.0))
                    .rolloutHold(Duration.ofMillis(400)).businessCycle(Duration.ofSeconds(1))
                    // a loaded build machine's latency is not what this test judges: only errors, fallbacks, mismatches
                    .breaker(BreakerConfig.custom().p95LatencyThreshold(Duration.ofSeconds(10)).build())
                    .shadow(ShadowConfig.custom().timeout(Duration.ofSeconds(10)).build())
                    .build();
            env.settings = FlagwaySettings.custom().rolloutTick(Duration.ofMillis(50))
                    .fleetHealthInterval(Duration.ofMillis(100)).build();
            env.providerRefresh = Duration.ofMillis(100);
            env.flagPropagation = Duration.ofMillis(300);
            ThreadConnections connections = new ThreadConnections(env.dataSource);
            env.transactionsOn = connections;
            LifecycleEnv.Instance a = env.instance();
            LifecycleEnv.Instance b = env.instance();
            MigrationLifecycle lc = a.lifecycle;

            try (connections; Traffic traffic = new Traffic(env, List.of(a, b))) {
                traffic.whileDdlRuns(() -> lc.expand(OPS, WHY));
                lc.startDualWrite(OPS, WHY);
                assertThat(b.lifecycle.backfill(OPS, WHY).state()).isEqualTo(BackfillState.COMPLETED);
                assertThat(lc.verify(OPS, WHY).passed()).isTrue();
                b.lifecycle.shadow(OPS, WHY);
                lc.startRollout(OPS, WHY);
                Fixture.within(DEADLINE, "the rollout done", () -> lc.state().rollout().status() == RolloutStatus.DONE);
                b.lifecycle.rampDown(OPS, WHY);
                assertThat(lc.verify(OPS, WHY).passed()).isTrue();
                lc.complete(OPS, WHY);
                Fixture.within(DEADLINE, "a business cycle at 100% modern", () -> lc.gate().allowed());
                traffic.whileDdlRuns(() -> b.lifecycle.contract(OPS, WHY));
                long atContract = traffic.operations.get();
                Fixture.within(DEADLINE, "traffic after the contract",
                        () -> traffic.operations.get() > atContract + 100);
                traffic.stop();
                assertResults(env, traffic);
            }
            assertThat(env.columnExists("email")).isFalse();

            List<AuditEvent> moves = new JdbcAuditLog(env.dataSource, env.prefix + "_audit").events(env.migrationId)
                    .stream().filter(e -> e.action().startsWith("lifecycle ")).toList();
            assertThat(moves).extracting(AuditEvent::action).containsExactly("lifecycle expand",
                    "lifecycle start-dual-write", "lifecycle backfill", "lifecycle verify", "lifecycle shadow",
                    "lifecycle start-rollout", "lifecycle live", "lifecycle live", "lifecycle rollout-done",
                    "lifecycle ramp-down", "lifecycle verify", "lifecycle complete", "lifecycle contract");
            List<AuditEvent> byController = moves.stream().filter(e -> e.actor().equals("flagway-rollout")).toList();
            assertThat(byController).extracting(AuditEvent::action)
                    .containsExactly("lifecycle live", "lifecycle live", "lifecycle rollout-done");
            assertThat(byController.get(0).detail()).contains("live 10.0% -> live 50.0%", "healthy for");
            assertThat(byController.get(1).detail()).contains("live 50.0% -> live 100.0%", "healthy for");
            assertThat(moves).filteredOn(e -> !e.actor().equals("flagway-rollout")).extracting(AuditEvent::actor)
                    .containsOnly(OPS);
            assertThat(a.provider.admin().history(env.flagKey)).filteredOn(e -> e.actor().equals("flagway-rollout"))
                    .extracting(FlagAuditEntry::reason)
                    .containsExactly("automatic rollout to 50%", "automatic rollout to 100%");

            // the rollout was done at 100% (its audit above) and stays done through ramp-down, complete, contract
            assertThat(lc.status().toJson()).contains("\"phase\":\"contracted\",", "\"flag\":{\"base\":\"complete\",",
                    "\"gate\":{\"allowed\":true,", "\"rollout\":{\"steps\":[10.0,50.0,100.0],\"hold\":\"PT0.4S\","
                            + "\"state\":\"done\",", "\"note\":\"done at 100%: healthy for",
                    "\"breakerState\":\"closed\",", "\"fallbacks\":0,").doesNotContain("\"breakerState\":\"open\"");
            assertThat(lc.state().phase()).isEqualTo(LifecyclePhase.CONTRACTED);
        }
    }

    /**
     * Zero caller errors, zero wrong answers, zero lost writes: the last acknowledged write of every row
     * is in the new column.
     */
    private static void assertResults(LifecycleEnv env, Traffic traffic) throws SQLException {
        assertThat(traffic.callerErrors).as("errors callers saw: %s", traffic.problems).hasValue(0);
        assertThat(traffic.wrongAnswers).as("wrong answers: %s", traffic.problems).hasValue(0);
        assertThat(traffic.reads.get()).isPositive();
        assertThat(traffic.writes.get()).isPositive();
        for (int key = 1; key <= ROWS; key++) { // no lost write: the last acknowledged one is in the new column
            assertThat(traffic.attempted.get(key)).isEqualTo(traffic.acknowledged.get(key));
            assertThat(newColumn(env, key)).as("row %d", key)
                    .isEqualTo(normalize(Traffic.written(key, traffic.acknowledged.get(key))));
        }
    }

    private static String newColumn(LifecycleEnv env, long key) throws SQLException {
        try (Connection c = env.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select email_normalized from " + env.table + " where id = ?")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** The migration's transform: the address trimmed and lower-case. */
    private static String normalize(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    /** The application's repository of the users' normalized addresses. */
    interface Emails {
        @FlagRouted
        String email(@TargetingKey long id);

        @DualWrite
        void save(@TargetingKey @RowKey long id, String email);
    }

    /** One column of the users table through plain JDBC: the legacy one keeps the address as typed. */
    private record JdbcEmails(DataSource dataSource, String table, boolean modern) implements Emails {
        @Override
        public String email(long id) {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("select " + column() + " from " + table + " where id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("row " + id + " is missing");
                    }
                    return modern ? rs.getString(1) : normalize(rs.getString(1));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        @Override
        public void save(long id, String email) {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("update " + table + " set " + column()
                         + " = ? where id = ?")) {
                ps.setString(1, modern ? normalize(email) : email);
                ps.setLong(2, id);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        private String column() {
            return modern ? "email_normalized" : "email";
        }
    }

    /**
     * {@value #THREADS_PER_INSTANCE} application threads on each instance, each owning every
     * {@code 2 * THREADS_PER_INSTANCE}th row: three in ten operations write the thread's next own row
     * (a new version of its address), the others read one of its own rows or any row. A read is right
     * when it returns a version no older than the last acknowledged before it started and no newer than
     * the last attempted when it ended (for the thread's own rows: exactly the last acknowledged).
     */
    private static final class Traffic implements AutoCloseable {
        private static final Pattern VERSIONED = Pattern.compile("user(\\d+)(?:-v(\\d+))?@example\\.com");

        final AtomicLong operations = new AtomicLong();
        final AtomicLong reads = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
        final AtomicLong callerErrors = new AtomicLong();
        final AtomicLong wrongAnswers = new AtomicLong();
        final Queue<String> problems = new ConcurrentLinkedQueue<>();
        /** Per row, the version of its address last written (0: the seeded one) and the last acknowledged. */
        final AtomicLongArray attempted = new AtomicLongArray(ROWS + 1);
        final AtomicLongArray acknowledged = new AtomicLongArray(ROWS + 1);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        /** Held by each operation, and exclusively by DDL on H2 (see {@link #whileDdlRuns}). */
        private final ReadWriteLock ddl = new ReentrantReadWriteLock();
        private final boolean h2;

        Traffic(LifecycleEnv env, List<LifecycleEnv.Instance> instances) {
            this.h2 = env.db == TestDatabase.H2;
            int owners = instances.size() * THREADS_PER_INSTANCE;
            int owner = 0;
            for (LifecycleEnv.Instance instance : instances) {
                DataSource through = instance.transactions.dataSource();
                Emails emails = DualWriteRepository.of(Emails.class).legacy(new JdbcEmails(through, env.table, false))
                        .modern(new JdbcEmails(through, env.table, true))
                        .migration(instance.flagway.migration(env.migrationId)).wrap();
                for (int i = 0; i < THREADS_PER_INSTANCE; i++, owner++) {
                    List<Long> own = new ArrayList<>();
                    for (long key = owner + 1; key <= ROWS; key += owners) {
                        own.add(key);
                    }
                    String name = "app-" + owner;
                    Thread t = new Thread(() -> loop(emails, own), name);
                    t.setDaemon(true);
                    threads.add(t);
                    t.start();
                }
            }
        }

        /** The address of {@code key} at {@code version}, as the application writes it (0: as seeded). */
        static String written(long key, long version) {
            return version == 0 ? "  User" + key + "@Example.COM " : " User" + key + "-V" + version + "@Example.COM ";
        }

        private void loop(Emails emails, List<Long> own) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int next = 0;
            while (running.get()) {
                ddl.readLock().lock();
                try {
                    if (random.nextInt(10) < 3) {
                        write(emails, own.get(next++ % own.size()));
                    } else {
                        long key = random.nextBoolean() ? own.get(random.nextInt(own.size()))
                                : 1 + random.nextInt(ROWS);
                        read(emails, key);
                    }
                } catch (RuntimeException e) {
                    callerErrors.incrementAndGet();
                    note(e.toString());
                } finally {
                    ddl.readLock().unlock();
                }
                operations.incrementAndGet();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3));
            }
        }

        private void write(Emails emails, long key) {
            long version = attempted.get((int) key) + 1;
            attempted.set((int) key, version);
            emails.save(key, written(key, version));
            acknowledged.set((int) key, version);
            writes.incrementAndGet();
        }

        private void read(Emails emails, long key) {
            long oldest = acknowledged.get((int) key);
            String got = emails.email(key);
            long newest = attempted.get((int) key);
            reads.incrementAndGet();
            Matcher m = got == null ? null : VERSIONED.matcher(got);
            boolean right = m != null && m.matches() && Long.parseLong(m.group(1)) == key
                    && between(m.group(2) == null ? 0 : Long.parseLong(m.group(2)), oldest, newest);
            if (!right) {
                wrongAnswers.incrementAndGet();
                note("row " + key + " read '" + got + "', expected version " + oldest + " to " + newest);
            }
        }

        private static boolean between(long version, long oldest, long newest) {
            return version >= oldest && version <= newest;
        }

        private void note(String problem) {
            if (problems.size() < 10) {
                problems.add(problem);
            }
        }

        /**
         * Runs a move that applies DDL. On PostgreSQL and MariaDB the traffic goes on: their DDL locks
         * the table. H2 applies ALTER TABLE by copying the table without keeping concurrent statements
         * out (writes made meanwhile are lost, reads fail with "table not found"), so there the
         * operations wait for it, as they would for a table lock.
         */
        void whileDdlRuns(Runnable move) {
            Lock lock = h2 ? ddl.writeLock() : new ReentrantLock();
            lock.lock();
            try {
                move.run();
            } finally {
                lock.unlock();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(10_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    /**
     * The application's connection pool, reduced to one connection per thread kept open until
     * {@link #close()}: each instance's threads and shadow readers reuse theirs instead of opening one
     * per statement. Closing a handed-out connection returns it (a transaction left open is rolled back).
     */
    private static final class ThreadConnections extends DelegatingDataSource implements AutoCloseable {
        private final ThreadLocal<Connection> mine = new ThreadLocal<>();
        private final Queue<Connection> opened = new ConcurrentLinkedQueue<>();

        ThreadConnections(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = mine.get();
            if (c == null || c.isClosed()) {
                c = target().getConnection();
                mine.set(c);
                opened.add(c);
            }
            Connection physical = c;
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            if (!physical.getAutoCommit()) {
                                physical.rollback();
                                physical.setAutoCommit(true);
                            }
                            return null;
                        }
                        if (method.getName().equals("isClosed")) {
                            return false;
                        }
                        try {
                            return method.invoke(physical, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public void close() throws SQLException {
            for (Connection c : opened) {
                c.close();
            }
        }
    }
}
