package dev.flagway.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.routing.Flagway;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.Stage;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillState;
import dev.flagway.contract.ContractDecision;
import dev.flagway.contract.ContractRefusedException;
import dev.flagway.internal.DelegatingDataSource;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.lifecycle.FlagPosition;
import dev.flagway.lifecycle.IllegalMoveException;
import dev.flagway.lifecycle.LifecycleConflictException;
import dev.flagway.lifecycle.LifecycleMove;
import dev.flagway.lifecycle.LifecyclePhase;
import dev.flagway.lifecycle.LifecycleState;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.lifecycle.MigrationStatus;
import dev.flagway.schema.AuditEvent;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.testing.TestDatabase;
import dev.flagway.verify.VerificationLog;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.VerifySettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The guarded lifecycle of one migration, on H2, PostgreSQL, MariaDB and MySQL 8. */
class MigrationLifecycleTest {
    private static final String OPS = "ops@example.com";
    private static final String WHY = "CHG-1234";

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB", "MYSQL8"})
    void everyLegalMoveIsMadeAndEveryOtherIsRefusedWithItsReasonAndTheLegalMoves(TestDatabase db) throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 60)) {
            LifecycleEnv.Instance a = env.instance();
            MigrationLifecycle lc = a.lifecycle;
            assertThat(lc.state().phase()).isEqualTo(LifecyclePhase.PLANNED);
            assertThat(lc.script()).contains("email_normalized", "-- contract").containsIgnoringCase("drop");
            assertOnlyLegalMovesAccepted(lc, "legal next moves: expand", LifecycleMove.EXPAND);
            assertThatThrownBy(() -> lc.expand(OPS, " ")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expand needs a non-blank reason");
            assertThatThrownBy(() -> lc.expand(null, WHY)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("non-blank actor");

            lc.expand(OPS, WHY);
            assertThat(env.columnExists("email_normalized")).isTrue();
            assertThat(lc.flag()).contains(FlagPosition.everyKey(Stage.OFF));
            assertOnlyLegalMovesAccepted(lc, "legal next moves: start-dual-write, undo-expand",
                    LifecycleMove.START_DUAL_WRITE, LifecycleMove.UNDO_EXPAND);

            lc.undoExpand(OPS, "wrong column type");
            assertThat(lc.state().phase()).isEqualTo(LifecyclePhase.PLANNED);
            assertThat(env.columnExists("email_normalized")).isFalse();
            lc.expand(OPS, WHY);

            lc.startDualWrite(OPS, WHY);
            assertThat(a.served("u1")).isEqualTo("dual_write"); // the local provider serves it at once
            assertOnlyLegalMovesAccepted(lc, "", LifecycleMove.BACKFILL, LifecycleMove.VERIFY, LifecycleMove.SHADOW,
                    LifecycleMove.UNDO_EXPAND);
            assertRefused(() -> lc.shadow(OPS, WHY), "the backfill never ran");
            assertThat(lc.verify(OPS, WHY).passed()).isFalse();

            BackfillResult backfill = lc.backfill(OPS, WHY);
            assertThat(backfill.state()).isEqualTo(BackfillState.COMPLETED);
            assertThat(env.row(7)[1]).isEqualTo("user7@example.com");
            lc.shadow(OPS, WHY);
            assertThat(a.served("u1")).isEqualTo("shadow");
            assertOnlyLegalMovesAccepted(lc, "", LifecycleMove.BACKFILL, LifecycleMove.VERIFY, LifecycleMove.LIVE,
                    LifecycleMove.ROLLBACK_TO_DUAL_WRITE, LifecycleMove.START_ROLLOUT);
            assertRefused(() -> lc.live(10, OPS, WHY), "did not pass");
            assertThat(lc.verify(OPS, WHY).passed()).isTrue();
            assertThatThrownBy(() -> lc.live(0, OPS, WHY)).isInstanceOf(IllegalArgumentException.class);

            lc.live(10, OPS, WHY);
            assertThat(lc.flag()).contains(FlagPosition.rollout(Stage.SHADOW, Stage.LIVE, 10));
            Set<String> served = new java.util.HashSet<>();
            for (int i = 0; i < 300; i++) {
                served.add(a.served("user-" + i));
            }
            assertThat(served).containsExactlyInAnyOrder("shadow", "live");
            assertOnlyLegalMovesAccepted(lc, "", LifecycleMove.BACKFILL, LifecycleMove.VERIFY, LifecycleMove.LIVE,
                    LifecycleMove.RAMP_DOWN, LifecycleMove.ROLLBACK_TO_DUAL_WRITE, LifecycleMove.START_ROLLOUT);
            assertRefused(() -> lc.live(10, OPS, WHY), "already live to 10.0% of keys");
            assertRefused(() -> lc.rampDown(OPS, WHY), "raise live to 100% first (now 10.0%)");

            lc.rollbackToDualWrite(OPS, "p95 up");
            assertThat(lc.flag()).contains(FlagPosition.everyKey(Stage.DUAL_WRITE));
            assertThat(a.served("user-1")).isEqualTo("dual_write");

            lc.shadow(OPS, WHY);
            lc.live(100, OPS, WHY);
            assertThat(lc.flag()).contains(FlagPosition.everyKey(Stage.LIVE));
            lc.rampDown(OPS, WHY);
            assertThat(lc.flag()).contains(FlagPosition.everyKey(Stage.RAMP_DOWN));
            assertOnlyLegalMovesAccepted(lc, "", LifecycleMove.BACKFILL, LifecycleMove.VERIFY, LifecycleMove.COMPLETE,
                    LifecycleMove.ROLLBACK_TO_DUAL_WRITE);

            lc.complete(OPS, WHY);
            assertThat(lc.flag()).contains(FlagPosition.everyKey(Stage.COMPLETE));
            assertThat(a.served("user-1")).isEqualTo("complete");
            assertOnlyLegalMovesAccepted(lc, "legal next moves: verify, contract", LifecycleMove.VERIFY,
                    LifecycleMove.CONTRACT);
            assertRefused(() -> lc.rollbackToDualWrite(OPS, WHY), "complete is one-way");
            assertRefused(() -> lc.rampDown(OPS, WHY), "no reverse backfill");
            assertRefused(() -> lc.backfill(OPS, WHY), "overwrite the writes acknowledged since then");

            assertThatThrownBy(() -> lc.contract(OPS, WHY)).isInstanceOf(ContractRefusedException.class)
                    .hasMessageContaining("of the required 7d");
            assertThat(lc.state().phase()).isEqualTo(LifecyclePhase.COMPLETE);
            assertThat(env.columnExists("email")).isTrue();
            env.clock.shift.set(Duration.ofDays(8));
            assertThat(lc.contract(OPS, WHY)).isNotEmpty();
            assertThat(env.columnExists("email")).isFalse();
            assertThat(lc.state().phase()).isEqualTo(LifecyclePhase.CONTRACTED);
            assertOnlyLegalMovesAccepted(lc, "legal next moves: none");

            List<String> moves = new JdbcAuditLog(env.dataSource, env.prefix + "_audit").events(env.migrationId).stream()
                    .filter(e -> e.action().startsWith("lifecycle ")).map(AuditEvent::action).toList();
            assertThat(moves).containsExactly("lifecycle expand", "lifecycle undo-expand", "lifecycle expand",
                    "lifecycle start-dual-write", "lifecycle verify", "lifecycle backfill", "lifecycle shadow",
                    "lifecycle verify", "lifecycle live", "lifecycle rollback-to-dual-write", "lifecycle shadow",
                    "lifecycle live", "lifecycle ramp-down", "lifecycle complete", "lifecycle contract");
            assertThat(new JdbcAuditLog(env.dataSource, env.prefix + "_audit").events(env.migrationId))
                    .filteredOn(e -> e.action().equals("lifecycle rollback-to-dual-write")).singleElement()
                    .satisfies(e -> assertThat(e.detail()).contains("live 10.0% -> dual_write", "reason: p95 up"))
                    .satisfies(e -> assertThat(e.actor()).isEqualTo(OPS));
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB", "MYSQL8"})
    void theIssuesMisusesAreRefusedAndNoAcknowledgedWriteIsLost(TestDatabase db) throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 40)) {
            LifecycleEnv.Instance a = env.instance();
            MigrationLifecycle lc = a.lifecycle;
            lc.expand(OPS, WHY);
            // off -> complete: refused
            assertRefused(() -> lc.complete(OPS, WHY), "reached only from ramp_down");
            lc.startDualWrite(OPS, WHY);
            lc.backfill(OPS, WHY);
            VerificationReport evidence = lc.verify(OPS, WHY);
            assertThat(evidence.passed()).isTrue();
            lc.shadow(OPS, WHY);
            lc.live(100, OPS, WHY);
            // live 100% -> complete straight away (the setStage that kept the rollout): refused
            assertRefused(() -> lc.complete(OPS, WHY), "reached only from ramp_down");
            lc.rampDown(OPS, WHY);
            lc.complete(OPS, WHY);
            assertThat(lc.flag()).contains(FlagPosition.everyKey(Stage.COMPLETE));
            for (int i = 0; i < 100; i++) {
                assertThat(a.served("user-" + i)).isEqualTo("complete");
            }
            // complete -> ramp_down: refused
            assertRefused(() -> lc.rampDown(OPS, WHY), "complete is one-way");

            // writes acknowledged during complete (modern only), then the backfill is attempted
            MigrationRuntime runtime = a.flagway.migration(env.migrationId);
            AtomicInteger legacyWrites = new AtomicInteger();
            for (long id = 1; id <= 20; id++) {
                long key = id;
                runtime.writer().write("user-" + id, id, () -> {
                    legacyWrites.incrementAndGet();
                    return null;
                }, () -> {
                    env.exec("update " + env.table + " set email_normalized = 'new" + key + "@example.com' where id = "
                            + key);
                    return null;
                });
            }
            assertThat(legacyWrites).hasValue(0);
            assertRefused(() -> lc.backfill(OPS, "re-run with reverify"), "overwrite the writes acknowledged");

            // a verification at complete fails by design, is kept with its stage, and does not replace the evidence
            VerificationReport atComplete = lc.verify(OPS, WHY);
            assertThat(atComplete.passed()).isFalse();
            List<VerificationLog.Entry> history = lc.verifications();
            assertThat(history).hasSize(2);
            assertThat(history.get(0).stage()).isEqualTo(Stage.DUAL_WRITE);
            assertThat(history.get(0).passed()).isTrue();
            assertThat(history.get(1).stage()).isEqualTo(Stage.COMPLETE);
            assertThat(history.get(1).passed()).isFalse();
            ContractDecision gate = lc.gate();
            assertThat(gate.met()).anySatisfy(m -> assertThat(m).contains("last verification taken while legacy was "
                    + "written").contains("0 mismatched"));
            assertThat(gate.unmet()).singleElement().asString().contains("of the required 7d");

            for (long id = 1; id <= 20; id++) {
                assertThat(env.row(id)[1]).isEqualTo("new" + id + "@example.com");
            }
            assertThat(env.row(21)[1]).isEqualTo("user21@example.com");
        }
    }

    /**
     * The flip to dual_write reaches the instances one refresh apart: a row one instance wrote to both
     * columns and another, still at off, then wrote to legacy alone holds a stale new value, not NULL.
     * The backfill re-derives it (with the Java transform and with transform-sql, whose comparison must
     * see case on MySQL and MariaDB). A row gone stale after the walk passed it fails the verification;
     * backfill then walks again and verify passes. After a passing verification it only drains repairs.
     */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB", "MYSQL8"})
    void staleNewValuesFromTheFlipAreRederivedAndBackfillAfterAFailedVerificationWalksAgain(TestDatabase db)
            throws Exception {
        for (boolean declared : new boolean[] {false, true}) {
            try (LifecycleEnv env = new LifecycleEnv(db, 30, declared)) {
                MigrationLifecycle lc = env.instance().lifecycle;
                lc.expand(OPS, WHY);
                lc.startDualWrite(OPS, WHY);
                // row 3: written to both columns, then to legacy alone by an instance still at off
                env.exec("update " + env.table + " set email = 'Both3@Example.COM', email_normalized = "
                        + "'both3@example.com' where id = 3");
                env.exec("update " + env.table + " set email = ' Late3@Example.COM ' where id = 3");
                // row 4: a new value that differs from the derived one in case only
                env.exec("update " + env.table + " set email_normalized = 'USER4@EXAMPLE.COM' where id = 4");

                BackfillResult first = lc.backfill(OPS, WHY);

                assertThat(env.row(3)[1]).as("declared %s", declared).isEqualTo("late3@example.com");
                assertThat(env.row(4)[1]).as("declared %s", declared).isEqualTo("user4@example.com");
                assertThat(first.rowsUpdated()).isEqualTo(30);
                assertThat(lc.verify(OPS, WHY).passed()).isTrue();

                // row 5 goes stale behind the completed walk: a legacy-only write still in flight
                env.exec("update " + env.table + " set email = ' Later5@Example.COM ' where id = 5");
                VerificationReport failed = lc.verify(OPS, WHY);
                assertThat(failed.passed()).isFalse();
                assertThat(failed.sampleMismatchedKeys()).containsExactly("5");

                BackfillResult again = lc.backfill(OPS, "repair what the verification found");

                assertThat(again.state()).isEqualTo(BackfillState.COMPLETED);
                assertThat(again.rowsDone()).as("walked the whole table again").isEqualTo(30);
                assertThat(again.rowsUpdatedThisRun()).isOne();
                assertThat(env.row(5)[1]).isEqualTo("later5@example.com");
                assertThat(lc.verify(OPS, WHY).passed()).isTrue();
                assertThat(new JdbcAuditLog(env.dataSource, env.prefix + "_audit").events(env.migrationId))
                        .filteredOn(e -> e.action().equals("lifecycle backfill")).last()
                        .satisfies(e -> assertThat(e.detail()).contains("30 rows walked again after the failed "
                                + "verification, 1 written"));

                BackfillResult drainOnly = lc.backfill(OPS, "after a passing verification");
                assertThat(drainOnly.batches()).as("no walk after a passing verification").isZero();
                assertThat(drainOnly.rowsUpdatedThisRun()).isZero();
            }
        }
    }

    /**
     * How many connections check chunks at once: the factory's {@code VerifySettings} (two by default, on
     * worker threads), unless the migration's own {@code verify.parallelism} says otherwise (1: the
     * calling thread alone, keeping a second database process away from the application).
     */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MYSQL8"})
    void theMigrationsVerifyParallelismDecidesWhichThreadsCheckTheChunks(TestDatabase db) throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 40, true, Map.of("verify.chunk-size", "5"))) {
            LifecycleEnv.Instance a = env.instance();
            a.lifecycle.expand(OPS, WHY);
            a.lifecycle.startDualWrite(OPS, WHY);
            a.lifecycle.backfill(OPS, WHY);
            Set<String> threads = ConcurrentHashMap.newKeySet();
            DataSource recording = new DelegatingDataSource(env.dataSource) {
                @Override
                public Connection getConnection() throws SQLException {
                    threads.add(Thread.currentThread().getName());
                    return super.getConnection();
                }
            };

            MigrationLifecycle byDefault = env.factory(a.flagway, a.provider.admin(), recording).background(false)
                    .build().lifecycle(env.migrationId);
            assertThat(byDefault.verify(OPS, WHY).passed()).isTrue();
            assertThat(threads).filteredOn(t -> t.startsWith("flagway-verify-users-email-")).isNotEmpty()
                    .hasSizeLessThanOrEqualTo(2);

            env.migration = env.migration.toBuilder().lifecycleSetting("verify.parallelism", 1).build();
            LifecycleEnv.Instance b = env.instance();
            threads.clear();
            MigrationLifecycle sequential = env.factory(b.flagway, b.provider.admin(), recording).background(false)
                    .verifySettings(VerifySettings.custom().parallelism(4).build()).build().lifecycle(env.migrationId);
            assertThat(sequential.verify(OPS, WHY).passed()).isTrue();
            assertThat(threads).containsOnly(Thread.currentThread().getName());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB", "MYSQL8"})
    void completeWaitsUntilNoWriteIsPendingRepairBecauseItsKeyWouldThenReadAStaleNewColumn(TestDatabase db)
            throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 20)) {
            MigrationLifecycle lc = env.instance().lifecycle;
            lc.expand(OPS, WHY);
            lc.startDualWrite(OPS, WHY);
            lc.backfill(OPS, WHY);
            lc.verify(OPS, WHY);
            lc.shadow(OPS, WHY);
            lc.live(100, OPS, WHY);
            lc.rampDown(OPS, WHY);
            // a write of row 7 whose new-column write and inline repair failed (as in shadow): legacy is ahead
            env.exec("update " + env.table + " set email = ' Seven@Example.COM ' where id = 7");
            try (Connection c = env.dataSource.getConnection()) {
                RepairLog.named(env.prefix + "_repair").record(c, env.migrationId, 7L, "user-7",
                        new IllegalStateException("modern write failed"));
            }
            assertThat(lc.status().pendingRepairs()).isOne();

            assertRefused(() -> lc.complete(OPS, WHY), "1 rows whose new-column write failed are pending repair");
            assertThat(lc.state().phase()).isEqualTo(LifecyclePhase.RAMP_DOWN);

            lc.backfill(OPS, "drain the repairs");
            assertThat(env.row(7)[1]).isEqualTo("seven@example.com");
            lc.complete(OPS, WHY);
            assertThat(lc.state().phase()).isEqualTo(LifecyclePhase.COMPLETE);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB", "MYSQL8"})
    void aFaultBeforeOneHundredPercentDoesNotBlockTheContractButOneDuringItDoesForACycle(TestDatabase db)
            throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 20)) {
            LifecycleEnv.Instance a = env.instance();
            MigrationLifecycle lc = a.lifecycle;
            lc.expand(OPS, WHY);
            lc.startDualWrite(OPS, WHY);
            lc.backfill(OPS, WHY);
            lc.verify(OPS, WHY);
            lc.shadow(OPS, WHY);
            lc.live(50, OPS, WHY);
            // a fault during live 50%, ten minutes before the flag reaches 100%: Flagway feeds the journal
            env.clock.shift.set(Duration.ofMinutes(-10));
            String liveUser = liveUser(a);
            assertThat(failingModernRead(a, liveUser)).isEqualTo("legacy");
            a.journal.flush();
            env.clock.shift.set(Duration.ZERO);
            lc.live(100, OPS, WHY);

            env.clock.shift.set(Duration.ofDays(2));
            ContractDecision early = lc.gate();
            assertThat(early.unmet()).singleElement().asString().contains("of the required 7d");
            assertThat(early.met()).anySatisfy(m -> assertThat(m).startsWith("0 fallbacks"));

            env.clock.shift.set(Duration.ofDays(3));
            assertThat(failingModernRead(a, "anyone")).isEqualTo("legacy");
            a.journal.flush();
            env.clock.shift.set(Duration.ofDays(8));
            assertThat(lc.gate().unmet()).singleElement().asString().startsWith("1 fallbacks");

            env.clock.shift.set(Duration.ofDays(10).plusMinutes(2));
            assertThat(lc.gate().allowed()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB", "MYSQL8"})
    void twoInstancesRacingMovesOneWinsTheOtherGetsAClearConflict(TestDatabase db) throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 20)) {
            LifecycleEnv.Instance a = env.instance();
            LifecycleEnv.PausingWriter paused = new LifecycleEnv.PausingWriter();
            LifecycleEnv.Instance b = env.instance(paused);
            a.lifecycle.expand(OPS, WHY);
            a.lifecycle.startDualWrite(OPS, WHY);
            b.lifecycle.backfill("ops-b", WHY);
            b.lifecycle.verify("ops-b", WHY);

            // b checks shadow, a moves meanwhile: b's claim loses and applies nothing
            paused.pauseNextRead();
            CompletableFuture<LifecycleState> bShadow = CompletableFuture.supplyAsync(
                    () -> b.lifecycle.shadow("ops-b", "from b"));
            assertThat(paused.arrived.await(30, TimeUnit.SECONDS)).isTrue();
            LifecycleState won = a.lifecycle.shadow(OPS, "from a");
            paused.release.countDown();
            assertThatThrownBy(bShadow::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(LifecycleConflictException.class)
                    .hasMessageContaining("another move changed the lifecycle after version " + (won.version() - 1))
                    .hasMessageContaining("moved by " + OPS);
            assertThat(b.lifecycle.state()).isEqualTo(won);

            // the same move from both at once, several times: exactly one wins each time
            raceOnce(env, a, b, lc -> lc.live(100, OPS, WHY));
            raceOnce(env, a, b, lc -> lc.rollbackToDualWrite(OPS, WHY));
            raceOnce(env, a, b, lc -> lc.shadow(OPS, WHY));
            assertThat(a.lifecycle.state().phase()).isEqualTo(LifecyclePhase.SHADOW);
            assertThat(a.lifecycle.flag()).contains(FlagPosition.everyKey(Stage.SHADOW));
            assertThat(new JdbcAuditLog(env.dataSource, env.prefix + "_audit").events(env.migrationId))
                    .filteredOn(e -> e.action().equals("lifecycle shadow")).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB", "MYSQL8"})
    void aMoveWhoseActionFailsIsUndoneAndAuditedAsFailed(TestDatabase db) throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 5)) {
            LifecycleEnv.PausingWriter flags = new LifecycleEnv.PausingWriter();
            LifecycleEnv.Instance a = env.instance(flags);
            MigrationLifecycle lc = a.lifecycle;
            lc.expand(OPS, WHY);
            LifecycleState expanded = lc.state();

            flags.failWrites = new IllegalStateException("flag store unreachable");
            assertThatThrownBy(() -> lc.startDualWrite(OPS, WHY)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("flag store unreachable");
            LifecycleState after = lc.state();
            assertThat(after.phase()).isEqualTo(LifecyclePhase.EXPANDED);
            assertThat(after.version()).isEqualTo(expanded.version() + 2); // claimed, then set back
            assertThat(after.lastMove()).contains("start-dual-write failed and was undone: flag store unreachable");
            assertThat(lc.flag()).contains(FlagPosition.everyKey(Stage.OFF));
            assertThat(new JdbcAuditLog(env.dataSource, env.prefix + "_audit").events(env.migrationId))
                    .filteredOn(e -> e.action().equals("lifecycle start-dual-write-failed")).singleElement()
                    .satisfies(e -> assertThat(e.detail()).contains("expanded -> dual_write", "flag store unreachable"));

            flags.failWrites = null;
            lc.startDualWrite(OPS, WHY);
            assertThat(lc.state().phase()).isEqualTo(LifecyclePhase.DUAL_WRITE);
            assertThat(a.served("u1")).isEqualTo("dual_write");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2"})
    void aGateWithoutTheJournalTheInstanceFeedsCannotBeBuilt(TestDatabase db) throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 1)) {
            LifecycleEnv.Instance a = env.instance();
            try (Flagway unfed = Flagway.builder().client(a.client).migration(env.migration).build();
                 Flagway otherListener = Flagway.builder().client(a.client).migration(env.migration)
                         .fallbackListener(id -> { }).build()) {
                for (Flagway flagway : List.of(unfed, otherListener)) {
                    assertThatThrownBy(() -> env.factory(flagway, a.provider.admin()).build())
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("does not feed a FallbackJournal")
                            .hasMessageContaining("fallbackListener(FallbackJournal.start(dataSource))");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB", "MYSQL8"})
    void aMigrationDeclaredOnceInPropertiesDerivesItsDdlTransformAndBusinessCycle(TestDatabase db) throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 30, true)) {
            LifecycleEnv.Instance a = env.instance();
            MigrationLifecycle lc = a.lifecycle;
            assertThat(env.migration.businessCycle()).isEqualTo(Duration.ofDays(3));
            String script = lc.script();
            assertThat(script).containsIgnoringCase("add").containsIgnoringCase("varchar(200)")
                    .contains("email_normalized").contains("-- undo expand").contains("-- contract");
            assertThat(env.columnExists("email_normalized")).isFalse(); // the script runs nothing

            String index = env.table + "_email_normalized_idx";
            assertThat(script).containsIgnoringCase("create index").contains(index);
            lc.expand(OPS, WHY);
            assertThat(env.columnExists("email_normalized")).isTrue();
            assertThat(env.indexExists(index)).isTrue();
            lc.undoExpand(OPS, "index on the wrong column");
            assertThat(env.indexExists(index)).isFalse();
            assertThat(env.columnExists("email_normalized")).isFalse();
            lc.expand(OPS, WHY);
            lc.startDualWrite(OPS, WHY);
            lc.backfill(OPS, WHY);
            assertThat(env.row(7)[1]).isEqualTo("user7@example.com"); // lower(trim(email)), run by the database
            assertThat(lc.verify(OPS, WHY).passed()).isTrue();
            lc.shadow(OPS, WHY);
            lc.live(100, OPS, WHY);
            lc.rampDown(OPS, WHY);
            lc.complete(OPS, WHY);
            env.clock.shift.set(Duration.ofDays(2));
            assertThat(lc.gate().unmet()).singleElement().asString().contains("of the required 3d");
            env.clock.shift.set(Duration.ofDays(3).plusHours(1));
            assertThat(lc.gate().allowed()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB", "MYSQL8"})
    void theStatusSaysWhereTheMigrationStandsInAStableJsonForm(TestDatabase db) throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 10)) {
            LifecycleEnv.Instance a = env.instance();
            MigrationLifecycle lc = a.lifecycle;
            assertThat(lc.status().toJson()).startsWith("{\"migration\":\"users-email\",\"phase\":\"planned\","
                    + "\"livePercent\":0.0,\"version\":0,\"updatedAt\":null,\"updatedBy\":null,\"lastMove\":null,"
                    + "\"flag\":null,\"backfill\":null,\"verifications\":[],\"pendingRepairs\":0,"
                    + "\"unresolvedBadRows\":0,\"gate\":{\"allowed\":false,\"met\":[\"0 fallbacks");
            lc.expand(OPS, WHY);
            lc.startDualWrite(OPS, WHY);
            lc.backfill(OPS, WHY);
            lc.verify(OPS, WHY);
            lc.shadow(OPS, WHY);
            lc.live(10, OPS, "CHG-1234 \"canary\"");

            MigrationStatus status = lc.status();
            assertThat(status.state().phase()).isEqualTo(LifecyclePhase.LIVE);
            assertThat(status.flag()).isEqualTo(FlagPosition.rollout(Stage.SHADOW, Stage.LIVE, 10));
            assertThat(status.backfill().state()).isEqualTo(BackfillState.COMPLETED);
            assertThat(status.verifications()).singleElement().satisfies(v -> assertThat(v.stage())
                    .isEqualTo(Stage.DUAL_WRITE));
            String json = status.toJson();
            assertThat(json).contains("\"phase\":\"live\",\"livePercent\":10.0,\"version\":5,")
                    .contains("\"updatedBy\":\"ops@example.com\",\"lastMove\":\"live: CHG-1234 \\\"canary\\\"\",")
                    .contains("\"flag\":{\"base\":\"shadow\",\"rolloutStage\":\"live\",\"rolloutPercent\":10.0,"
                            + "\"enabled\":true,\"disabledReason\":null},")
                    .contains("\"backfill\":{\"state\":\"COMPLETED\",\"lastKey\":\"10\",\"rowsDone\":10,"
                            + "\"rowsUpdated\":10,")
                    .contains("\"verifications\":[{\"verifiedAt\":\"")
                    .contains("\"stage\":\"dual_write\",\"passed\":true,\"summary\":\"")
                    .contains("\"gate\":{\"allowed\":false,\"met\":[")
                    .contains("\"unmet\":[\"flag '" + env.flagKey + "' is not at complete")
                    .contains("\"legalMoves\":[\"backfill\",\"verify\",\"live\",\"ramp-down\","
                            + "\"rollback-to-dual-write\",\"start-rollout\"],\"readAt\":\"")
                    .contains("\",\"backfillProgress\":{\"rowsDone\":10,")
                    .contains(",\"lockBlockers\":{\"readable\":true,\"problem\":null,\"sessions\":[")
                    .contains("\"rollout\":{\"steps\":[1.0,10.0,50.0,100.0],\"hold\":\"PT10M\",\"state\":\"idle\","
                            + "\"currentStep\":10.0,\"nextStep\":null,\"nextStepDue\":null,\"cap\":100.0,\"note\":null,"
                            + "\"judgement\":null,\"flagInstruction\":null,\"instances\":[")
                    .endsWith("}");
            assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
        }
    }

    // ---------------------------------------------------------------- helpers

    private interface Move {
        Object make(MigrationLifecycle lc);
    }

    private static void raceOnce(LifecycleEnv env, LifecycleEnv.Instance a, LifecycleEnv.Instance b, Move move)
            throws Exception {
        long before = a.lifecycle.state().version();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Object>> runs = new ArrayList<>();
        for (LifecycleEnv.Instance i : List.of(a, b)) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    return move.make(i.lifecycle);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        start.countDown();
        int won = 0;
        for (CompletableFuture<Object> run : runs) {
            try {
                run.get(60, TimeUnit.SECONDS);
                won++;
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOfAny(LifecycleConflictException.class, IllegalMoveException.class);
            }
        }
        assertThat(won).isEqualTo(1);
        assertThat(a.lifecycle.state().version()).isEqualTo(before + 1);
    }

    private static void assertRefused(Supplier<?> move, String reason) {
        assertThatThrownBy(move::get).isInstanceOf(IllegalMoveException.class).hasMessageContaining(reason);
    }

    /** Every move outside {@code legal} is refused, naming the phase and {@code legalText}, and changes nothing. */
    private static void assertOnlyLegalMovesAccepted(MigrationLifecycle lc, String legalText, LifecycleMove... legal) {
        LifecycleState before = lc.state();
        Set<LifecycleMove> allowed = legal.length == 0 ? EnumSet.noneOf(LifecycleMove.class) : EnumSet.of(legal[0], legal);
        assertThat(lc.legalMoves()).containsExactlyInAnyOrderElementsOf(allowed);
        for (LifecycleMove move : LifecycleMove.values()) {
            if (allowed.contains(move)) {
                continue;
            }
            assertThatThrownBy(() -> attempt(lc, move)).as(move + " at " + before.phase())
                    .isInstanceOf(IllegalMoveException.class)
                    .hasMessageContaining(move.value() + " refused at " + before.phase().value())
                    .hasMessageContaining(legalText)
                    .satisfies(e -> assertThat(((IllegalMoveException) e).legalMoves())
                            .containsExactlyInAnyOrderElementsOf(allowed));
        }
        assertThat(lc.state()).isEqualTo(before);
    }

    private static Object attempt(MigrationLifecycle lc, LifecycleMove move) {
        return switch (move) {
            case EXPAND -> lc.expand(OPS, WHY);
            case START_DUAL_WRITE -> lc.startDualWrite(OPS, WHY);
            case BACKFILL -> lc.backfill(OPS, WHY);
            case VERIFY -> lc.verify(OPS, WHY);
            case ENFORCE_NOT_NULL -> lc.enforceNotNull(OPS, WHY);
            case SHADOW -> lc.shadow(OPS, WHY);
            case LIVE -> lc.live(50, OPS, WHY);
            case RAMP_DOWN -> lc.rampDown(OPS, WHY);
            case COMPLETE -> lc.complete(OPS, WHY);
            case CONTRACT -> lc.contract(OPS, WHY);
            case ROLLBACK_TO_DUAL_WRITE -> lc.rollbackToDualWrite(OPS, WHY);
            case UNDO_EXPAND -> lc.undoExpand(OPS, WHY);
            case START_ROLLOUT -> lc.startRollout(OPS, WHY);
            case PAUSE_ROLLOUT -> lc.pauseRollout(OPS, WHY);
            case RESUME_ROLLOUT -> lc.resumeRollout(OPS, WHY);
            case CAP_ROLLOUT -> lc.capRollout(50, OPS, WHY);
        };
    }

    /** A user the flag serves live now. */
    private static String liveUser(LifecycleEnv.Instance a) {
        for (int i = 0; ; i++) {
            if (a.served("user-" + i).equals("live")) {
                return "user-" + i;
            }
        }
    }

    /** A read of {@code user} whose modern path fails: Flagway serves legacy and tells its journal. */
    private static String failingModernRead(LifecycleEnv.Instance a, String user) {
        return a.flagway.migration("users-email").reader().read(user, () -> "legacy", () -> {
            throw new IllegalStateException("modern repository down");
        });
    }
}
