package dev.flagway.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Stage;
import dev.flagway.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FlagAdminTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void everyChangeIsAuditedWithWhoWhenWhyAndTheStateBeforeAndAfter(TestDatabase db) {
        try (Fixture f = new Fixture(db)) {
            FlagAdmin admin = f.admin;
            FlagState created = admin.createMigrationFlag("users-email", Stage.DUAL_WRITE, "alice", "backfill starts");
            assertThat(created.version()).isEqualTo(1);
            admin.setStage("users-email", 1, Stage.SHADOW, "alice", "backfill verified");
            admin.setRollout("users-email", 2, Stage.LIVE, 10, "bob", "first 10%");
            admin.setRolloutPercentage("users-email", 3, 50.25, "bob", "ramp");
            admin.disable("users-email", 4, "circuit-breaker", "error rate 3.2% > 1% over 120 calls");
            FlagState last = admin.enable("users-email", 5, "alice", "fixed");

            assertThat(last.version()).isEqualTo(6);
            assertThat(last.definition()).isEqualTo(new FlagDefinition(FlagType.STAGE, true, "shadow", "live", 50.25, null));
            assertThat(admin.get("users-email")).isEqualTo(last);

            List<FlagAuditEntry> history = admin.history("users-email");
            assertThat(history).extracting(FlagAuditEntry::version).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(history).extracting(FlagAuditEntry::action).containsExactly(FlagAction.CREATE,
                    FlagAction.SET_VARIANT, FlagAction.SET_ROLLOUT, FlagAction.SET_ROLLOUT, FlagAction.DISABLE,
                    FlagAction.ENABLE);
            assertThat(history).extracting(FlagAuditEntry::actor)
                    .containsExactly("alice", "alice", "bob", "bob", "circuit-breaker", "alice");
            assertThat(history.get(0).before()).isNull();
            assertThat(history.get(0).after().baseStage()).contains(Stage.DUAL_WRITE);
            assertThat(history.get(2).before().hasRollout()).isFalse();
            assertThat(history.get(2).after().rolloutStage()).contains(Stage.LIVE);
            assertThat(history.get(2).after().rolloutPercentage()).isEqualTo(10.0);
            assertThat(history.get(3).after().rolloutPercentage()).isEqualTo(50.25);
            FlagAuditEntry disable = history.get(4);
            assertThat(disable.reason()).isEqualTo("error rate 3.2% > 1% over 120 calls");
            assertThat(disable.before().enabled()).isTrue();
            assertThat(disable.after().enabled()).isFalse();
            assertThat(disable.after().disabledReason()).isEqualTo("error rate 3.2% > 1% over 120 calls");
            assertThat(history.get(5).after().disabledReason()).isNull();
            for (int i = 1; i < history.size(); i++) {
                assertThat(history.get(i).before()).isEqualTo(history.get(i - 1).after());
                assertThat(history.get(i).changedAt()).isAfterOrEqualTo(history.get(i - 1).changedAt());
            }
            assertThat(history.get(0).changedAt()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aChangeAtAStaleVersionIsRefusedNamingTheFlagAndBothVersions(TestDatabase db) {
        try (Fixture f = new Fixture(db)) {
            f.admin.createMigrationFlag("orders-total", Stage.OFF, "alice", null);
            f.admin.setStage("orders-total", 1, Stage.DUAL_WRITE, "alice", null);

            assertThatThrownBy(() -> f.admin.setStage("orders-total", 1, Stage.SHADOW, "bob", null))
                    .isInstanceOfSatisfying(ConcurrentFlagUpdateException.class, e -> {
                        assertThat(e.flagKey()).isEqualTo("orders-total");
                        assertThat(e.expectedVersion()).isEqualTo(1);
                        assertThat(e.actualVersion()).isEqualTo(2);
                    })
                    .hasMessageContaining("'orders-total'").hasMessageContaining("expected version 1")
                    .hasMessageContaining("version 2");
            assertThat(f.admin.get("orders-total").definition().baseStage()).contains(Stage.DUAL_WRITE);
            assertThat(f.admin.history("orders-total")).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void concurrentAdminUpdatesConflictCleanly(TestDatabase db) throws Exception {
        try (Fixture f = new Fixture(db)) {
            f.admin.createMigrationFlag("users-email", Stage.SHADOW, "alice", null);
            FlagAdmin second = FlagAdmin.create(f.dataSource, f.tables);
            int writers = 4;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                List<Future<FlagState>> results = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    FlagAdmin admin = i % 2 == 0 ? f.admin : second;
                    double pct = 10 * (i + 1);
                    String who = "operator-" + i;
                    Callable<FlagState> task = () -> {
                        start.await();
                        return admin.setRollout("users-email", 1, Stage.LIVE, pct, who, "ramp");
                    };
                    results.add(pool.submit(task));
                }
                start.countDown();
                int won = 0;
                int conflicted = 0;
                for (Future<FlagState> r : results) {
                    try {
                        r.get(30, TimeUnit.SECONDS);
                        won++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(ConcurrentFlagUpdateException.class);
                        conflicted++;
                    }
                }
                assertThat(won).isEqualTo(1);
                assertThat(conflicted).isEqualTo(writers - 1);
            } finally {
                pool.shutdownNow();
            }
            FlagState state = f.admin.get("users-email");
            assertThat(state.version()).isEqualTo(2);
            List<FlagAuditEntry> history = f.admin.history("users-email");
            assertThat(history).hasSize(2);
            assertThat(history.get(1).actor()).isEqualTo(state.updatedBy());
            assertThat(history.get(1).after()).isEqualTo(state.definition());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theCircuitBreakerStoreDisablesOnceAndKeepsTheFirstReason(TestDatabase db) throws Exception {
        try (Fixture f = new Fixture(db)) {
            f.admin.createMigrationFlag("users-email", Stage.LIVE, "alice", null);
            f.admin.flagStateStore().disable("users-email", "circuit-breaker", "error rate 2.5% > 1% (40/1600 calls)");
            f.admin.flagStateStore().disable("users-email", "circuit-breaker", "p95 420ms > 250ms");

            FlagState state = f.admin.get("users-email");
            assertThat(state.enabled()).isFalse();
            assertThat(state.definition().disabledReason()).isEqualTo("error rate 2.5% > 1% (40/1600 calls)");
            assertThat(state.updatedBy()).isEqualTo("circuit-breaker");
            List<FlagAuditEntry> history = f.admin.history("users-email");
            assertThat(history).hasSize(2);
            assertThat(history.get(1).actor()).isEqualTo("circuit-breaker");
            assertThat(history.get(1).reason()).isEqualTo("error rate 2.5% > 1% (40/1600 calls)");
            assertThatThrownBy(() -> f.admin.flagStateStore().disable("nope", "circuit-breaker", "x"))
                    .isInstanceOf(UnknownFlagException.class).hasMessageContaining("'nope'");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aDeletedFlagKeepsItsHistoryAndARecreatedOneContinuesTheVersions(TestDatabase db) {
        try (Fixture f = new Fixture(db)) {
            f.admin.createFlag("checkout-banner", FlagType.BOOLEAN, "true", "alice", "launch");
            f.admin.delete("checkout-banner", 1, "alice", "launch over");
            assertThat(f.admin.find("checkout-banner")).isEmpty();
            FlagState again = f.admin.createFlag("checkout-banner", FlagType.BOOLEAN, "FALSE", "bob", null);
            assertThat(again.version()).isEqualTo(3);
            assertThat(again.definition().baseVariant()).isEqualTo("false");
            assertThat(f.admin.history("checkout-banner")).extracting(FlagAuditEntry::action)
                    .containsExactly(FlagAction.CREATE, FlagAction.DELETE, FlagAction.CREATE);
            assertThat(f.admin.history("checkout-banner").get(1).after()).isNull();
            assertThatThrownBy(() -> f.admin.createFlag("checkout-banner", FlagType.BOOLEAN, "true", "bob", null))
                    .isInstanceOf(FlagAlreadyExistsException.class);
            assertThat(f.admin.list()).extracting(FlagState::key).containsExactly("checkout-banner");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void deleteWithoutAVersionDeletesTheFlagAtItsCurrentVersion(TestDatabase db) {
        try (Fixture f = new Fixture(db)) {
            f.admin.createMigrationFlag("users-email", Stage.DUAL_WRITE, "alice", null);
            f.admin.setStage("users-email", Stage.SHADOW, "alice", null);
            f.admin.delete("users-email", "bob", "migration done");
            assertThat(f.admin.find("users-email")).isEmpty();
            List<FlagAuditEntry> history = f.admin.history("users-email");
            assertThat(history).extracting(FlagAuditEntry::version).containsExactly(1L, 2L, 3L);
            assertThat(history.get(2).action()).isEqualTo(FlagAction.DELETE);
            assertThat(history.get(2).actor()).isEqualTo("bob");
            assertThat(history.get(2).reason()).isEqualTo("migration done");
            assertThatThrownBy(() -> f.admin.delete("users-email", "bob", null))
                    .isInstanceOf(UnknownFlagException.class).hasMessageContaining("'users-email'");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void fullyModernPeriodSpansLiveAtHundredRampDownAndCompleteUntilADisable(TestDatabase db) {
        MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
        try (Fixture f = new Fixture(db)) {
            FlagAdmin admin = FlagAdmin.create(f.dataSource, f.tables, clock);
            admin.createMigrationFlag("users-email", Stage.SHADOW, "alice", null);
            clock.now = Instant.parse("2025-03-02T10:00:00Z");
            admin.setRollout("users-email", Stage.LIVE, 50, "alice", null);
            assertThat(admin.fullyModernSince("users-email")).isEmpty();
            clock.now = Instant.parse("2025-03-03T10:00:00Z");
            admin.setRolloutPercentage("users-email", 100, "alice", null);
            clock.now = Instant.parse("2025-03-04T10:00:00Z");
            admin.setStage("users-email", Stage.RAMP_DOWN, "alice", null);
            clock.now = Instant.parse("2025-03-05T10:00:00Z");
            admin.setStage("users-email", Stage.COMPLETE, "alice", null);

            assertThat(admin.fullyModernSince("users-email")).contains(Instant.parse("2025-03-03T10:00:00Z"));

            clock.now = Instant.parse("2025-03-06T10:00:00Z");
            admin.disable("users-email", "circuit-breaker", "error rate 3%");
            assertThat(admin.fullyModernSince("users-email")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void historyTellsSinceWhenAStageIsServedToEveryKey(TestDatabase db) {
        MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
        try (Fixture f = new Fixture(db)) {
            FlagAdmin admin = FlagAdmin.create(f.dataSource, f.tables, clock);
            admin.createMigrationFlag("users-email", Stage.RAMP_DOWN, "alice", null);
            clock.now = Instant.parse("2025-03-02T10:00:00Z");
            admin.setRollout("users-email", Stage.COMPLETE, 50, "alice", null);
            assertThat(admin.servedToEveryKeySince("users-email", Stage.COMPLETE)).isEmpty();
            clock.now = Instant.parse("2025-03-03T10:00:00.123456Z");
            admin.setRolloutPercentage("users-email", 100, "alice", null);
            clock.now = Instant.parse("2025-03-04T10:00:00Z");
            admin.setStage("users-email", Stage.COMPLETE, "alice", "fold the rollout into the base");

            FlagState state = admin.get("users-email");
            assertThat(state.definition().hasRollout()).isFalse();
            assertThat(state.definition().servesEveryKey(Stage.COMPLETE)).isTrue();
            assertThat(admin.servedToEveryKeySince("users-email", Stage.COMPLETE))
                    .contains(Instant.parse("2025-03-03T10:00:00.123Z"));
            assertThat(admin.servedToEveryKeySince("users-email", Stage.RAMP_DOWN)).isEmpty();

            clock.now = Instant.parse("2025-03-05T10:00:00Z");
            admin.disable("users-email", "alice", "investigating");
            assertThat(admin.servedToEveryKeySince("users-email", Stage.COMPLETE)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void creatingTheTablesTwiceIsHarmless(TestDatabase db) {
        try (Fixture f = new Fixture(db)) {
            f.admin.createFlag("limit", FlagType.INTEGER, "42", "alice", null);
            f.admin.createTables();
            FlagAdmin.create(f.dataSource, f.tables).createTables();
            assertThat(f.admin.get("limit").definition().baseVariant()).isEqualTo("42");
        }
    }

    @Test
    void badInputIsRefusedWithSpecificMessages() {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            FlagAdmin admin = f.admin;
            admin.createMigrationFlag("users-email", Stage.SHADOW, "alice", null);
            admin.createFlag("banner", FlagType.BOOLEAN, "true", "alice", null);

            assertThatThrownBy(() -> admin.setRollout("users-email", Stage.LIVE, 100.5, "alice", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rollout percentage must be between 0 and 100 but was 100.5");
            assertThatThrownBy(() -> admin.setRolloutPercentage("users-email", -1, "alice", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rollout percentage must be between 0 and 100 but was -1.0");
            assertThatThrownBy(() -> admin.setRollout("users-email", Stage.LIVE, Double.NaN, "alice", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 100");
            assertThatThrownBy(() -> admin.setRollout("users-email", Stage.LIVE, 12.345, "alice", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than two decimal places");
            assertThatThrownBy(() -> admin.setVariant("users-email", "half-live", "alice", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("variant of flag 'users-email' 'half-live' is not a stage: use one of off, dual_write,"
                            + " shadow, live, ramp_down, complete");
            assertThatThrownBy(() -> admin.disable("users-email", "alice", "  "))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("disabling a flag needs a reason");
            assertThatThrownBy(() -> admin.disable("users-email", "alice", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("disabling a flag needs a reason");
            assertThatThrownBy(() -> admin.setStage("users-email", Stage.LIVE, " ", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("actor must not be empty");
            assertThatThrownBy(() -> admin.setRollout("users-email", Stage.SHADOW, 10, "alice", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rollout stage of flag 'users-email' must differ from its base stage 'shadow'");
            assertThatThrownBy(() -> admin.setRolloutPercentage("users-email", 20, "alice", null))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("has no rollout stage");
            assertThatThrownBy(() -> admin.setStage("banner", Stage.LIVE, "alice", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a boolean flag, not a migration");
            assertThatThrownBy(() -> admin.setVariant("banner", "maybe", "alice", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a boolean");
            assertThatThrownBy(() -> admin.createFlag("cfg", FlagType.OBJECT, "{not json", "alice", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not valid JSON");
            assertThatThrownBy(() -> admin.createFlag(" padded", FlagType.STRING, "x", "alice", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whitespace");
            assertThatThrownBy(() -> admin.setStage("missing", Stage.LIVE, "alice", null))
                    .isInstanceOf(UnknownFlagException.class).hasMessageContaining("'missing' does not exist");
            assertThatThrownBy(() -> FlagwayTables.withPrefix("bad-prefix"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain SQL identifier");
            // Nothing above was written.
            assertThat(admin.history("users-email")).hasSize(1);
        }
    }

    @Test
    void aChangeThatChangesNothingWritesNothing() {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createMigrationFlag("users-email", Stage.SHADOW, "alice", null);
            FlagState same = f.admin.enable("users-email", 1, "bob", "already on");
            assertThat(same.version()).isEqualTo(1);
            assertThat(f.admin.history("users-email")).hasSize(1);
        }
    }

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
