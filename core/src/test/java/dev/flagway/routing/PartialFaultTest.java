package dev.flagway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Stage;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Flagway's promise under a partial fault, on H2, PostgreSQL and MariaDB: two instances on one
 * database, eight threads, a modern implementation that fails a share of its reads and writes at
 * random. Every read is checked against a ledger of the writes acknowledged so far; each thread owns
 * its users, so the last acknowledged write of a user is exactly what any read of it must return.
 */
class PartialFaultTest {
    private static final int THREADS = 8;
    private static final int USERS = 400;
    private static final int OPERATIONS_PER_THREAD = 400;
    private static final double FAULT_SHARE = 0.08;

    /** Half the users live (the rest in dual_write), or every user in ramp_down. */
    enum Rollout {
        LIVE_HALF(key -> Long.parseLong(key) % 2 == 0 ? "live" : "dual_write"),
        RAMP_DOWN(key -> "ramp_down");

        final Function<String, String> stages;

        Rollout(Function<String, String> stages) {
            this.stages = stages;
        }
    }

    static Stream<Arguments> databasesAndRollouts() {
        return Stream.of(TestDatabase.values())
                .flatMap(db -> Stream.of(Rollout.values()).map(rollout -> Arguments.of(db, rollout)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("databasesAndRollouts")
    void noInstanceAnswersWithAnOlderValueThanTheLastAcknowledgedWrite(TestDatabase db, Rollout rollout)
            throws Exception {
        try (FleetUsers fleet = new FleetUsers(db, USERS, false)) {
            fleet.flags.values(rollout.stages);
            List<FleetUsers.Instance> instances = List.of(fleet.start("a", () -> FAULT_SHARE),
                    fleet.start("b", () -> FAULT_SHARE));
            Ledger ledger = new Ledger();

            ledger.run(instances);

            double modernReads = instances.stream()
                    .mapToDouble(i -> i.count("flagway.reads", "path", "modern", "outcome", "success")).sum();
            double failedModernWrites = instances.stream()
                    .mapToDouble(i -> i.count("flagway.writes", "path", "modern", "outcome", "error")).sum();
            System.out.printf("%s %s: %d operations, %d writes acknowledged, %.0f failed modern writes, %.0f reads "
                            + "answered from the new column, %d failed, %d wrong%n", db, rollout, ledger.operations.get(),
                    ledger.acknowledged.get(), failedModernWrites, modernReads, ledger.failures.size(),
                    ledger.wrong.size());
            assertThat(failedModernWrites).as("the fault hit modern writes").isGreaterThan(20);
            assertThat(modernReads).as("reads answered from the new column").isGreaterThan(500);
            assertThat(ledger.failures).as("failed requests").isEmpty();
            assertThat(ledger.wrong).as("reads older than the last acknowledged write").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void writeWhoseRepairFailsTooFailsWhereTheNewColumnIsReadAndIsPinnedToLegacyWhereItIsNot(TestDatabase db)
            throws Exception {
        try (FleetUsers fleet = new FleetUsers(db, 3, true)) {
            FleetUsers.Instance a = fleet.start("a", () -> 0);
            FleetUsers.Instance b = fleet.start("b", () -> 0);
            fleet.execute("update " + fleet.table + " set email = 'Ann@Example.com', email_normalized = 'ann@example.com'"
                    + " where id = 1");
            String clash = " ANN@example.COM";

            fleet.flags.stage(Stage.LIVE);
            assertThatThrownBy(() -> a.users().save(2L, clash))
                    .satisfies(e -> assertThat(e.getSuppressed()).singleElement().satisfies(repair ->
                            assertThat(repair).hasMessageContaining("re-deriving")));
            assertThat(fleet.row(2L)).containsExactly(FleetUsers.seeded(2), "user2@example.com");
            assertThat(a.users().email(2L)).isEqualTo("user2@example.com");
            assertThat(b.users().email(2L)).isEqualTo("user2@example.com");
            assertThat(repairKeys(fleet)).isEmpty();
            assertThat(a.count("flagway.repairs", "outcome", "failed")).isEqualTo(1.0);

            fleet.flags.stage(Stage.DUAL_WRITE);
            a.users().save(2L, clash);
            assertThat(fleet.row(2L)).containsExactly(clash, "user2@example.com");
            assertThat(repairKeys(fleet)).containsExactly("2");
            assertThat(a.runtime().pinnedToLegacy("2")).as("pinned on the writing instance at once").isTrue();
            Fixture.await("instance b to pin key 2", () -> b.runtime().pinnedToLegacy("2"));

            fleet.flags.stage(Stage.LIVE);
            assertThat(a.users().email(2L)).isEqualTo("ann@example.com");
            assertThat(b.users().email(2L)).isEqualTo("ann@example.com");
            assertThat(a.users().email(3L)).as("other keys still read the new column").isEqualTo("user3@example.com");
            assertThat(a.count("flagway.reads", "stage", "live", "path", "legacy")).isEqualTo(1.0);

            fleet.execute("update " + fleet.table + " set email = 'ann@elsewhere.com', email_normalized = "
                    + "'ann@elsewhere.com' where id = 1");
            fleet.execute("update " + fleet.table + " set email_normalized = 'ann@example.com' where id = 2");
            try (Connection c = fleet.dataSource.getConnection()) {
                RepairLog.named(fleet.repairTable).remove(c, "users-email", "2");
            }
            Fixture.await("both instances to unpin the repaired key", () -> !a.runtime().pinnedToLegacy("2")
                    && !b.runtime().pinnedToLegacy("2"));
            assertThat(b.users().email(2L)).isEqualTo("ann@example.com");
            assertThat(b.count("flagway.reads", "stage", "live", "path", "modern", "outcome", "success")).isPositive();
        }
    }

    private static List<String> repairKeys(FleetUsers fleet) throws SQLException {
        try (Connection c = fleet.dataSource.getConnection()) {
            return RepairLog.named(fleet.repairTable).pending(c, "users-email", 10).stream()
                    .map(RepairLog.Entry::rowKey).toList();
        }
    }

    /** The traffic and what it saw: each thread owns the users whose id is its number modulo the thread count. */
    private static final class Ledger {
        final ConcurrentHashMap<Long, String> lastWrite = new ConcurrentHashMap<>();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong operations = new AtomicLong();
        final AtomicLong acknowledged = new AtomicLong();

        void run(List<FleetUsers.Instance> instances) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    traffic(thread, instances);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }

        private void traffic(int thread, List<FleetUsers.Instance> instances) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
                long id = thread + 1 + (long) THREADS * random.nextInt(USERS / THREADS);
                FleetUsers.Instance instance = instances.get(random.nextInt(instances.size()));
                operations.incrementAndGet();
                if (random.nextInt(10) < 4) {
                    String email = " Changed" + thread + "." + i + "@Example.COM";
                    try {
                        instance.users().save(id, email);
                    } catch (RuntimeException e) {
                        failures.add("write of user " + id + ": " + e);
                        continue;
                    }
                    lastWrite.put(id, FleetUsers.normalize(email));
                    acknowledged.incrementAndGet();
                } else {
                    String expected = lastWrite.getOrDefault(id, FleetUsers.normalize(FleetUsers.seeded(id)));
                    String answer;
                    try {
                        answer = instance.users().email(id);
                    } catch (RuntimeException e) {
                        failures.add("read of user " + id + ": " + e);
                        continue;
                    }
                    if (!expected.equals(answer)) {
                        wrong.add("user " + id + " read " + answer + ", last acknowledged " + expected);
                    }
                }
            }
        }
    }
}
