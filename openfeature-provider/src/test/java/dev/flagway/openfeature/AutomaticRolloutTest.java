package dev.flagway.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.routing.Flagway;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.Stage;
import dev.flagway.config.FlagwaySettings;
import dev.flagway.lifecycle.FlagPosition;
import dev.flagway.lifecycle.FlagWriter;
import dev.flagway.lifecycle.IllegalMoveException;
import dev.flagway.lifecycle.LifecycleConflictException;
import dev.flagway.lifecycle.LifecycleMove;
import dev.flagway.lifecycle.LifecyclePhase;
import dev.flagway.lifecycle.LifecycleState;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.lifecycle.MigrationLifecycles;
import dev.flagway.lifecycle.MigrationStatus;
import dev.flagway.lifecycle.RolloutStatus;
import dev.flagway.schema.AuditEvent;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The automatic rollout gated on fleet health: its moves, two instances under traffic with a modern
 * fault, a healthy run through a short plan with a cap, a flag store Flagway cannot write, and a
 * publisher facing a dead database. Holds of 0.4 to 1.5 seconds, ticks of 100 ms.
 */
class AutomaticRolloutTest {
    private static final String OPS = "ops@example.com";
    private static final String WHY = "CHG-2001";
    private static final Duration HOLD = Duration.ofMillis(400);
    private static final long DEADLINE_SECONDS = 60;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB", "MYSQL8"})
    void everyRolloutMoveIsMadeWhereLegalAndRefusedElsewhereAndAPauseHoldsTheShare(TestDatabase db) throws Exception {
        try (LifecycleEnv env = rolloutEnv(db, Duration.ofSeconds(1))) {
            MigrationLifecycle lc = env.instance().lifecycle;
            toDualWrite(lc);
            assertRefused(() -> lc.startRollout(OPS, WHY), "start-rollout refused at dual_write");
            assertRefused(() -> lc.pauseRollout(OPS, WHY), "pause-rollout is legal only from live");
            lc.shadow(OPS, WHY);
            assertThat(lc.legalMoves()).contains(LifecycleMove.START_ROLLOUT)
                    .doesNotContain(LifecycleMove.PAUSE_ROLLOUT, LifecycleMove.RESUME_ROLLOUT, LifecycleMove.CAP_ROLLOUT);
            assertRefused(() -> lc.capRollout(50, OPS, WHY), "cap-rollout is legal only from live");

            LifecycleState started = lc.startRollout(OPS, WHY);
            lc.capRollout(10, OPS, "stay at 10% while the moves are tried"); // the controller holds at the cap
            assertThat(started.phase()).isEqualTo(LifecyclePhase.LIVE);
            assertThat(started.livePercent()).isEqualTo(10.0);
            assertThat(started.rollout().status()).isEqualTo(RolloutStatus.RUNNING);
            assertThat(lc.flag()).contains(FlagPosition.rollout(Stage.SHADOW, Stage.LIVE, 10));
            assertThat(lc.legalMoves()).contains(LifecycleMove.PAUSE_ROLLOUT, LifecycleMove.CAP_ROLLOUT)
                    .doesNotContain(LifecycleMove.START_ROLLOUT, LifecycleMove.RESUME_ROLLOUT);
            assertRefused(() -> lc.startRollout(OPS, WHY), "the automatic rollout is running; start-rollout needs "
                    + "it idle or halted or done");
            assertRefused(() -> lc.resumeRollout(OPS, WHY), "resume-rollout needs it paused");
            assertRefused(() -> lc.capRollout(5, OPS, WHY), "cap 5% is below the current share 10%");
            assertThatThrownBy(() -> lc.capRollout(0, OPS, WHY)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("rollout cap must be a percent in (0, 100]");

            LifecycleState paused = lc.pauseRollout(OPS, "hold for the batch job");
            assertThat(paused.rollout().status()).isEqualTo(RolloutStatus.PAUSED);
            assertRefused(() -> lc.pauseRollout(OPS, WHY), "the automatic rollout is paused");
            lc.capRollout(50, OPS, "no further than half");
            waitFor("three holds while paused", () -> lc.state().updatedAt().plus(Duration.ofSeconds(3))
                    .isBefore(env.clock.instant()));
            assertThat(lc.state().livePercent()).isEqualTo(10.0); // pause holds the share
            assertThat(lc.status().rollout().nextStepDue()).isNull();

            lc.resumeRollout(OPS, WHY);
            waitFor("the cap reached", () -> lc.state().livePercent() == 50.0);
            assertThat(lc.state().rollout().status()).isEqualTo(RolloutStatus.RUNNING);
            assertThat(lc.status().rollout().nextStep()).isNull(); // at the cap

            LifecycleState manual = lc.live(30, OPS, "by hand");
            assertThat(manual.rollout().status()).isEqualTo(RolloutStatus.IDLE);
            assertThat(manual.rollout().note()).contains("ended by live (" + OPS + "): by hand");
            LifecycleState restarted = lc.startRollout(OPS, WHY);
            assertThat(restarted.livePercent()).isEqualTo(50.0); // the first step above 30%
            assertThat(restarted.rollout().capped()).isFalse(); // a new start clears the cap
            lc.rollbackToDualWrite(OPS, "stop");
            assertThat(lc.state().rollout().status()).isEqualTo(RolloutStatus.IDLE);

            lc.shadow(OPS, WHY);
            lc.live(100, OPS, WHY);
            assertRefused(() -> lc.startRollout(OPS, WHY), "at or past the plan's last step");
            assertThat(new JdbcAuditLog(env.dataSource, env.prefix + "_audit").events(env.migrationId).stream()
                    .map(AuditEvent::action).filter(a -> a.contains("rollout")).toList())
                    .containsExactly("lifecycle start-rollout", "lifecycle cap-rollout", "lifecycle pause-rollout",
                            "lifecycle cap-rollout", "lifecycle resume-rollout", "lifecycle start-rollout");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB"})
    void aModernFaultOnOneOfTwoInstancesRollsTheFleetBackWithinOneHoldAndNoCallerSeesAnError(TestDatabase db)
            throws Exception {
        // the hold outlasts the start move's own round trips, after which the fault begins
        try (LifecycleEnv env = rolloutEnv(db, Duration.ofMillis(1500))) {
            LifecycleEnv.Instance a = env.instance();
            LifecycleEnv.Instance b = env.instance();
            toDualWrite(a.lifecycle);
            a.lifecycle.shadow(OPS, WHY);
            try (Readers readers = new Readers(List.of(a, b), b, new AtomicBoolean(true))) {
                a.lifecycle.startRollout(OPS, "canary"); // from now on 5% of b's live reads fail
                waitFor("the halt", () -> a.lifecycle.state().phase() == LifecyclePhase.DUAL_WRITE);
                readers.stop();
                assertThat(readers.callerErrors).hasValue(0);
                assertThat(readers.reads.get()).isPositive();
            }
            LifecycleState halted = a.lifecycle.state();
            assertThat(halted.rollout().status()).isEqualTo(RolloutStatus.HALTED);
            assertThat(halted.rollout().note()).contains("halted at 10%: breach: instance " + b.lifecycles.instanceId())
                    .containsAnyOf("fallbacks to legacy (allowed: 0)", "circuit breaker open");
            assertThat(halted.updatedBy()).isEqualTo("flagway-rollout");
            waitFor("the flag at dual_write", () -> a.lifecycle.flag().equals(Optional.of(FlagPosition.everyKey(
                    Stage.DUAL_WRITE))));
            waitFor("b serving dual_write", () -> b.served("user-1").equals("dual_write"));
            // the move is audited after its flag write: wait for the entry, then check there is one
            waitFor("the controller's move audited", () -> !controllerEvents(env).isEmpty());
            List<AuditEvent> byController = controllerEvents(env);
            assertThat(byController).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("lifecycle rollback-to-dual-write"); // never advanced: within one hold
                assertThat(e.detail()).contains("live 10.0% -> dual_write", "automatic rollout halted: breach: "
                        + "instance " + b.lifecycles.instanceId());
            });
            MigrationStatus status = a.lifecycle.status();
            assertThat(status.toJson()).contains("\"state\":\"halted\"", "\"note\":\"halted at 10%: breach: instance ");
            assertThat(status.rollout().instances()).extracting(h -> h.instanceId())
                    .contains(a.lifecycles.instanceId(), b.lifecycles.instanceId());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB"})
    void aHealthyFleetIsRolledThroughThePlanOneStepAtATimeNeverPastTheCapByOneController(TestDatabase db)
            throws Exception {
        try (LifecycleEnv env = rolloutEnv(db, Duration.ofMillis(800))) {
            LifecycleEnv.Instance a = env.instance();
            LifecycleEnv.Instance b = env.instance();
            toDualWrite(a.lifecycle);
            a.lifecycle.shadow(OPS, WHY);
            try (Readers readers = new Readers(List.of(a, b), b, new AtomicBoolean())) {
                a.lifecycle.startRollout(OPS, WHY);
                capRetrying(b.lifecycle, 50, "half until the review");
                waitFor("the cap reached", () -> a.lifecycle.state().livePercent() == 50.0);
                LifecycleState atCap = a.lifecycle.state();
                waitFor("three holds at the cap", () -> atCap.updatedAt().plus(Duration.ofMillis(2400))
                        .isBefore(env.clock.instant()));
                assertThat(a.lifecycle.state().livePercent()).isEqualTo(50.0);
                assertThat(a.lifecycle.state().rollout().status()).isEqualTo(RolloutStatus.RUNNING);

                capRetrying(b.lifecycle, 100, "review passed");
                waitFor("the rollout done", () -> a.lifecycle.state().rollout().status() == RolloutStatus.DONE);
                readers.stop();
                assertThat(readers.callerErrors).hasValue(0);
            }
            LifecycleState done = a.lifecycle.state();
            assertThat(done.phase()).isEqualTo(LifecyclePhase.LIVE);
            assertThat(done.livePercent()).isEqualTo(100.0);
            assertThat(done.rollout().note()).contains("done at 100%", "ramp down and complete are the operator's moves");
            assertThat(a.lifecycle.flag()).contains(FlagPosition.everyKey(Stage.LIVE));
            waitFor("b serving live to every key", () -> b.served("user-1").equals("live"));
            // each step written once, by one controller of the two (the last one audited just after its state)
            waitFor("the controller's three moves audited", () -> controllerEvents(env).size() >= 3);
            assertThat(controllerEvents(env)).extracting(AuditEvent::action)
                    .containsExactly("lifecycle live", "lifecycle live", "lifecycle rollout-done");
            assertThat(controllerEvents(env).get(0).detail()).contains("live 10.0% -> live 50.0%", "healthy for");
            assertThat(controllerEvents(env).get(1).detail()).contains("live 50.0% -> live 100.0%");
            a.lifecycle.rampDown(OPS, WHY);
            assertThat(a.lifecycle.state().rollout().status()).as("a done rollout stays done as the migration goes on")
                    .isEqualTo(RolloutStatus.DONE);
            a.lifecycle.rollbackToDualWrite(OPS, WHY);
            assertThat(a.lifecycle.state().rollout()).satisfies(r -> {
                assertThat(r.status()).isEqualTo(RolloutStatus.IDLE);
                assertThat(r.note()).isEqualTo("ended by rollback-to-dual-write (" + OPS + "): " + WHY);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2"})
    void whereFlagwayCannotWriteTheFlagTheControllerStillJudgesAndTheStatusSaysWhatToSet(TestDatabase db)
            throws Exception {
        try (LifecycleEnv env = rolloutEnv(db)) {
            LifecycleEnv.Instance a = env.instance();
            a.lifecycles.close(); // this instance's controller would write through the provider
            FlagWriter readOnly = FlagWriter.readOnly(a.provider.admin());
            assertThat(readOnly.writable()).isFalse();
            assertThatThrownBy(() -> readOnly.write(env.flagKey, FlagPosition.everyKey(Stage.LIVE), OPS, WHY))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("set it to live to every key");
            try (MigrationLifecycles lifecycles = env.factory(a.flagway, readOnly).build()) {
                MigrationLifecycle lc = lifecycles.lifecycle(env.migrationId);
                toDualWrite(lc);
                lc.shadow(OPS, WHY);
                lc.startRollout(OPS, WHY);
                assertThat(lc.status().rollout().flagInstruction()).contains("Flagway cannot write flag '"
                        + env.flagKey + "': set it to shadow, live to 10.0% of keys now", "if the fleet stays healthy, "
                        + "to shadow, live to 50.0% of keys at ");
                waitFor("the next step judged", () -> lc.state().livePercent() == 50.0);
                assertThat(lc.status().rollout().flagInstruction()).contains("set it to shadow, live to 50.0% of keys "
                        + "now");
                assertThat(a.provider.admin().read(env.flagKey)).isEmpty(); // never written
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2"})
    void aPublisherFacingADeadDatabaseNeverThrowsAndPublishesWhatItCountedOnceItIsBack(TestDatabase db)
            throws Exception {
        try (LifecycleEnv env = rolloutEnv(db)) {
            LifecycleEnv.Instance a = env.instance();
            a.provider.admin().write(env.flagKey, FlagPosition.everyKey(Stage.LIVE), OPS, WHY);
            MigrationRuntime runtime = a.flagway.migration(env.migrationId);
            env.flags.dataSource.goDown();
            for (int i = 0; i < 200; i++) {
                assertThat(runtime.reader().read("user-" + i, () -> "legacy", () -> "modern")).isEqualTo("modern");
            }
            TimeUnit.MILLISECONDS.sleep(200); // a few publish intervals against the dead database
            env.flags.dataSource.comeBack();
            waitFor("the outage's calls published", () -> publishedCalls(env, a.lifecycles.instanceId()) >= 200);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** An environment whose plan is 10%, 50%, 100% held {@link #HOLD}, ticking and publishing every 100 ms. */
    private static LifecycleEnv rolloutEnv(TestDatabase db) throws Exception {
        return rolloutEnv(db, HOLD);
    }

    private static LifecycleEnv rolloutEnv(TestDatabase db, Duration hold) throws Exception {
        LifecycleEnv env = new LifecycleEnv(db, 20);
        env.migration = env.migration.toBuilder().rolloutSteps(List.of(10.0, 50.0, 100.0)).rolloutHold(hold).build();
        env.settings = FlagwaySettings.custom().rolloutTick(Duration.ofMillis(100))
                .fleetHealthInterval(Duration.ofMillis(100)).build();
        env.providerRefresh = Duration.ofMillis(100);
        return env;
    }

    /** Caps the rollout, again when the controller moved at the same moment (the cap is not below the share). */
    private static void capRetrying(MigrationLifecycle lc, double percent, String reason) {
        for (int attempt = 1; ; attempt++) {
            try {
                lc.capRollout(percent, OPS, reason);
                return;
            } catch (LifecycleConflictException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static void toDualWrite(MigrationLifecycle lc) {
        lc.expand(OPS, WHY);
        lc.startDualWrite(OPS, WHY);
        lc.backfill(OPS, WHY);
        assertThat(lc.verify(OPS, WHY).passed()).isTrue();
    }

    private static List<AuditEvent> controllerEvents(LifecycleEnv env) {
        return new JdbcAuditLog(env.dataSource, env.prefix + "_audit").events(env.migrationId).stream()
                .filter(e -> e.actor().equals("flagway-rollout")).toList();
    }

    private static long publishedCalls(LifecycleEnv env, String instanceId) {
        try (Connection c = env.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select sum(calls) from " + env.prefix + "_health where "
                     + "instance_id = ?")) {
            ps.setString(1, instanceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (Exception e) {
            return 0; // not created yet
        }
    }

    private static void assertRefused(Supplier<?> move, String reason) {
        assertThatThrownBy(move::get).isInstanceOf(IllegalMoveException.class).hasMessageContaining(reason);
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /**
     * Two reader threads per instance reading random users through Flagway; while {@code fault} is set,
     * 5% of {@code faulty}'s modern reads of users its flag serves {@code live} fail. Counts the reads and the errors callers saw.
     */
    private static final class Readers implements AutoCloseable {
        final AtomicLong reads = new AtomicLong();
        final AtomicLong callerErrors = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Readers(List<LifecycleEnv.Instance> instances, LifecycleEnv.Instance faulty, AtomicBoolean fault) {
            for (LifecycleEnv.Instance instance : instances) {
                Flagway flagway = instance.flagway;
                MigrationRuntime runtime = flagway.migration("users-email");
                boolean mayFail = instance == faulty;
                for (int i = 0; i < 2; i++) {
                    Thread t = new Thread(() -> {
                        while (running.get()) {
                            String user = "user-" + ThreadLocalRandom.current().nextInt(1000);
                            try {
                                runtime.reader().read(user, () -> user + "@example.com", () -> {
                                    if (mayFail && fault.get() && ThreadLocalRandom.current().nextInt(100) < 5
                                            && runtime.flagStage(user) == Stage.LIVE) {
                                        throw new IllegalStateException("modern store fault");
                                    }
                                    return user + "@example.com"; // both columns agree: no shadow mismatch
                                });
                                reads.incrementAndGet();
                            } catch (RuntimeException e) {
                                callerErrors.incrementAndGet();
                            }
                            LockSupport.parkNanos(200_000);
                        }
                    }, "reader-" + i);
                    t.setDaemon(true);
                    threads.add(t);
                    t.start();
                }
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
}
