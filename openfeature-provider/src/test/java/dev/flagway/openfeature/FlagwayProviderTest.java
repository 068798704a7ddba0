package dev.flagway.openfeature;

import static dev.flagway.openfeature.Fixture.key;
import static dev.flagway.openfeature.Fixture.within;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Stage;
import dev.flagway.testing.TestDatabase;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.OpenFeatureError;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/** The OpenFeature behaviours of the provider, on H2 (the fleet and outage tests run on every database). */
class FlagwayProviderTest {

    @Test
    void aFlagWithoutRolloutServesItsBaseStageWithReasonStatic() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createMigrationFlag("users-email", Stage.SHADOW, "alice", null);
            FlagwayProvider p = f.started();

            ProviderEvaluation<String> e = p.getStringEvaluation("users-email", "off", new ImmutableContext());
            assertThat(e.getValue()).isEqualTo("shadow");
            assertThat(e.getVariant()).isEqualTo("shadow");
            assertThat(e.getReason()).isEqualTo("STATIC");
            assertThat(e.getErrorCode()).isNull();
            assertThat(e.getFlagMetadata().getLong("version")).isEqualTo(1L);
            assertThat(p.getStringEvaluation("users-email", "off", null).getValue()).isEqualTo("shadow");
        }
    }

    @Test
    void aPartialRolloutServesTheRolloutStageToTheKeysInItsBucketShareWithReasonSplit() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createMigrationFlag("users-email", Stage.SHADOW, "alice", null);
            f.admin.setRollout("users-email", Stage.LIVE, 25.5, "alice", null);
            FlagwayProvider p = f.started();

            int live = 0;
            int n = 4_000;
            for (int i = 0; i < n; i++) {
                String k = "user-" + i;
                ProviderEvaluation<String> e = p.getStringEvaluation("users-email", "off", key(k));
                boolean inRollout = FractionalBucketing.pick("users-email" + k, new int[] {2_550, 7_450}) == 0;
                assertThat(e.getValue()).isEqualTo(inRollout ? "live" : "shadow");
                assertThat(e.getVariant()).isEqualTo(e.getValue());
                assertThat(e.getReason()).isEqualTo("SPLIT");
                live += inRollout ? 1 : 0;
            }
            assertThat(live * 100.0 / n).isBetween(22.0, 29.0);
            // Same key, same answer.
            assertThat(p.getStringEvaluation("users-email", "off", key("user-7")).getValue())
                    .isEqualTo(p.getStringEvaluation("users-email", "off", key("user-7")).getValue());
        }
    }

    @Test
    void rolloutsAtZeroAndHundredPercentAreStaticAndNeedNoTargetingKey() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createMigrationFlag("a", Stage.SHADOW, "alice", null);
            f.admin.setRollout("a", Stage.LIVE, 0, "alice", null);
            f.admin.createMigrationFlag("b", Stage.LIVE, "alice", null);
            f.admin.setRollout("b", Stage.RAMP_DOWN, 100, "alice", null);
            FlagwayProvider p = f.started();

            ProviderEvaluation<String> a = p.getStringEvaluation("a", "off", new ImmutableContext());
            assertThat(a.getValue()).isEqualTo("shadow");
            assertThat(a.getReason()).isEqualTo("STATIC");
            ProviderEvaluation<String> b = p.getStringEvaluation("b", "off", null);
            assertThat(b.getValue()).isEqualTo("ramp_down");
            assertThat(b.getReason()).isEqualTo("STATIC");
        }
    }

    @Test
    void aPartialRolloutWithoutATargetingKeyAnswersTargetingKeyMissing() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createMigrationFlag("users-email", Stage.SHADOW, "alice", null);
            f.admin.setRollout("users-email", Stage.LIVE, 10, "alice", null);
            FlagwayProvider p = f.started();

            for (ImmutableContext ctx : new ImmutableContext[] {null, new ImmutableContext(), key("")}) {
                ProviderEvaluation<String> e = p.getStringEvaluation("users-email", "off", ctx);
                assertThat(e.getErrorCode()).isEqualTo(ErrorCode.TARGETING_KEY_MISSING);
                assertThat(e.getReason()).isEqualTo("ERROR");
                assertThat(e.getValue()).isEqualTo("off");
                assertThat(e.getErrorMessage()).contains("'users-email'").contains("10.0%");
            }
        }
    }

    @Test
    void anUnknownFlagAnswersFlagNotFound() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            FlagwayProvider p = f.started();
            ProviderEvaluation<String> e = p.getStringEvaluation("nope", "off", key("u"));
            assertThat(e.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
            assertThat(e.getReason()).isEqualTo("ERROR");
            assertThat(e.getValue()).isEqualTo("off");
            assertThat(e.getErrorMessage()).contains("'nope'").contains(f.tables.flagsTable());
        }
    }

    @Test
    void evaluatingAFlagAsAnotherTypeAnswersTypeMismatch() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createMigrationFlag("users-email", Stage.LIVE, "alice", null);
            f.admin.createFlag("big", FlagType.INTEGER, "9999999999", "alice", null);
            FlagwayProvider p = f.started();

            ProviderEvaluation<Boolean> e = p.getBooleanEvaluation("users-email", false, key("u"));
            assertThat(e.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
            assertThat(e.getValue()).isFalse();
            assertThat(e.getErrorMessage()).isEqualTo("flag 'users-email' is a stage flag but was evaluated as boolean");
            assertThat(p.getDoubleEvaluation("users-email", 1.0, null).getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
            assertThat(p.getObjectEvaluation("users-email", new Value(), null).getErrorCode())
                    .isEqualTo(ErrorCode.TYPE_MISMATCH);
            ProviderEvaluation<Integer> tooBig = p.getIntegerEvaluation("big", 3, null);
            assertThat(tooBig.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
            assertThat(tooBig.getValue()).isEqualTo(3);
            assertThat(p.getLongEvaluation("big", 3L, null).getValue()).isEqualTo(9_999_999_999L);
        }
    }

    @Test
    void aDisabledMigrationFlagServesItsStagesClampedToDualWriteWithReasonDisabledAndItsReason() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createMigrationFlag("live", Stage.LIVE, "alice", null);
            f.admin.createMigrationFlag("split", Stage.SHADOW, "alice", null);
            f.admin.setRollout("split", Stage.LIVE, 30, "alice", null);
            f.admin.createMigrationFlag("off", Stage.OFF, "alice", null);
            f.admin.createMigrationFlag("complete", Stage.COMPLETE, "alice", null);
            f.admin.createMigrationFlag("starting", Stage.OFF, "alice", null);
            f.admin.setRollout("starting", Stage.LIVE, 50, "alice", null);
            for (String k : List.of("live", "split", "off", "complete", "starting")) {
                f.admin.disable(k, "circuit-breaker", "error rate 5% > 1%");
            }
            FlagwayProvider p = f.started();

            ProviderEvaluation<String> live = p.getStringEvaluation("live", "off", key("u"));
            assertThat(live.getValue()).isEqualTo("dual_write");
            assertThat(live.getVariant()).isEqualTo("dual_write");
            assertThat(live.getReason()).isEqualTo("DISABLED");
            assertThat(live.getErrorCode()).isNull();
            assertThat(live.getFlagMetadata().getString("disabledReason")).isEqualTo("error rate 5% > 1%");
            // Both sides of the rollout clamp to dual_write: no targeting key needed any more.
            ProviderEvaluation<String> split = p.getStringEvaluation("split", "off", null);
            assertThat(split.getValue()).isEqualTo("dual_write");
            assertThat(split.getReason()).isEqualTo("DISABLED");
            // Disabling never starts dual writes, nor writes to a contracted legacy column.
            assertThat(p.getStringEvaluation("off", "x", null).getValue()).isEqualTo("off");
            assertThat(p.getStringEvaluation("complete", "x", null).getValue()).isEqualTo("complete");
            assertThat(p.getStringEvaluation("complete", "x", null).getReason()).isEqualTo("DISABLED");
            // off -> live at 50%: the off keys stay off, the live keys fall back to dual_write.
            for (int i = 0; i < 200; i++) {
                boolean inRollout = FractionalBucketing.pick("starting" + "user-" + i, new int[] {5_000, 5_000}) == 0;
                ProviderEvaluation<String> e = p.getStringEvaluation("starting", "x", key("user-" + i));
                assertThat(e.getValue()).isEqualTo(inRollout ? "dual_write" : "off");
                assertThat(e.getReason()).isEqualTo("DISABLED");
            }
        }
    }

    @Test
    void aDisabledOrdinaryFlagServesTheCallersDefaultWithReasonDisabled() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createFlag("banner", FlagType.BOOLEAN, "true", "alice", null);
            f.admin.disable("banner", "alice", "broken layout");
            FlagwayProvider p = f.started();

            ProviderEvaluation<Boolean> e = p.getBooleanEvaluation("banner", false, key("u"));
            assertThat(e.getValue()).isFalse();
            assertThat(e.getReason()).isEqualTo("DISABLED");
            assertThat(e.getVariant()).isNull();
            assertThat(e.getErrorCode()).isNull();
        }
    }

    @Test
    void booleanIntegerLongDoubleStringAndObjectFlagsEvaluate() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createFlag("bool", FlagType.BOOLEAN, "false", "alice", null);
            f.admin.setRolloutVariant("bool", "true", 50, "alice", null);
            f.admin.createFlag("int", FlagType.INTEGER, "42", "alice", null);
            f.admin.createFlag("dbl", FlagType.DOUBLE, "0.25", "alice", null);
            f.admin.createFlag("str", FlagType.STRING, "hello", "alice", null);
            f.admin.createFlag("obj", FlagType.OBJECT, "{\"limit\": 5, \"tags\": [\"a\", \"b\"], \"on\": true}", "alice", null);
            FlagwayProvider p = f.started();

            ProviderEvaluation<Boolean> bool = p.getBooleanEvaluation("bool", false, key("user-1"));
            assertThat(bool.getReason()).isEqualTo("SPLIT");
            assertThat(bool.getValue()).isEqualTo(FractionalBucketing.pick("bool" + "user-1", new int[] {5_000, 5_000}) == 0);
            assertThat(bool.getVariant()).isEqualTo(bool.getValue().toString());
            ProviderEvaluation<Integer> i = p.getIntegerEvaluation("int", 0, null);
            assertThat(i.getValue()).isEqualTo(42);
            assertThat(i.getVariant()).isEqualTo("42");
            assertThat(i.getReason()).isEqualTo("STATIC");
            assertThat(p.getLongEvaluation("int", 0L, null).getValue()).isEqualTo(42L);
            assertThat(p.getDoubleEvaluation("dbl", 0.0, null).getValue()).isEqualTo(0.25);
            assertThat(p.getStringEvaluation("str", "", null).getValue()).isEqualTo("hello");
            ProviderEvaluation<Value> obj = p.getObjectEvaluation("obj", new Value(), null);
            assertThat(obj.getVariant()).isEqualTo("base");
            assertThat(obj.getValue().asStructure().getValue("limit").asInteger()).isEqualTo(5);
            assertThat(obj.getValue().asStructure().getValue("tags").asList()).extracting(Value::asString)
                    .containsExactly("a", "b");
            assertThat(obj.getValue().asStructure().getValue("on").asBoolean()).isTrue();
        }
    }

    @Test
    void aServedResultIsReadOnlySoNoCallerCanChangeAnothersAnswer() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createMigrationFlag("users-email", Stage.LIVE, "alice", null);
            FlagwayProvider p = f.started();

            ProviderEvaluation<String> first = p.getStringEvaluation("users-email", "off", key("u"));
            assertThatThrownBy(() -> first.setValue("off")).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("copy it");
            assertThatThrownBy(() -> first.setReason("ERROR")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> first.setErrorCode(ErrorCode.GENERAL))
                    .isInstanceOf(UnsupportedOperationException.class);
            ProviderEvaluation<String> next = p.getStringEvaluation("users-email", "off", key("v"));
            assertThat(next.getValue()).isEqualTo("live");
            assertThat(next.getReason()).isEqualTo("STATIC");
            assertThat(next.getErrorCode()).isNull();
            assertThat(next).isEqualTo(ProviderEvaluation.<String>builder().value("live").variant("live")
                    .reason("STATIC").flagMetadata(next.getFlagMetadata()).build());
        }
    }

    @Test
    void aRowEditedByHandIntoAnUnservableStateAnswersParseError() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createMigrationFlag("users-email", Stage.LIVE, "alice", null);
            f.admin.store().dsl().update(DSL.table(DSL.name(f.tables.flagsTable())))
                    .set(DSL.field(DSL.name("base_variant"), String.class), "half-live")
                    .execute();
            FlagwayProvider p = f.started();

            ProviderEvaluation<String> e = p.getStringEvaluation("users-email", "off", key("u"));
            assertThat(e.getErrorCode()).isEqualTo(ErrorCode.PARSE_ERROR);
            assertThat(e.getValue()).isEqualTo("off");
            assertThat(e.getErrorMessage()).contains("half-live");
        }
    }

    @Test
    void evaluationsBeforeTheFirstLoadAnswerProviderNotReady() {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            FlagwayProvider p = f.provider();
            assertThat(p.status()).isEqualTo(ProviderState.NOT_READY);
            ProviderEvaluation<String> e = p.getStringEvaluation("users-email", "off", key("u"));
            assertThat(e.getErrorCode()).isEqualTo(ErrorCode.PROVIDER_NOT_READY);
            assertThat(e.getReason()).isEqualTo("ERROR");
            assertThat(e.getValue()).isEqualTo("off");
        }
    }

    @Test
    void initializeFailsClearlyWhenTheDatabaseIsUnreachableThenTheRefreshMakesItReady() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createMigrationFlag("users-email", Stage.SHADOW, "alice", null);
            f.dataSource.goDown();
            FlagwayProvider p = f.provider();
            String domain = "init-fails-" + UUID.randomUUID();
            OpenFeatureAPI api = OpenFeatureAPI.getInstance();
            Client client = api.getClient(domain);
            List<String> events = new CopyOnWriteArrayList<>();
            client.onProviderReady(d -> events.add("READY"));
            client.onProviderError(d -> events.add("ERROR"));

            assertThatThrownBy(() -> api.setProviderAndWait(domain, p))
                    .isInstanceOf(OpenFeatureError.class)
                    .hasMessageContaining("could not load flags from " + f.tables.flagsTable())
                    .hasMessageContaining("PROVIDER_NOT_READY");
            FlagEvaluationDetails<String> before = client.getStringDetails("users-email", "off", key("u"));
            assertThat(before.getErrorCode()).isEqualTo(ErrorCode.PROVIDER_NOT_READY);
            assertThat(before.getValue()).isEqualTo("off");

            f.dataSource.comeBack();
            within(30, "READY after the database came back", () -> events.contains("READY"));
            within(30, "SDK state READY", () -> client.getProviderState() == ProviderState.READY);
            FlagEvaluationDetails<String> after = client.getStringDetails("users-email", "off", key("u"));
            assertThat(after.getValue()).isEqualTo("shadow");
            assertThat(after.getReason()).isEqualTo("STATIC");
        }
    }

    @Test
    void theSdkSeesReadyAfterInitializeAndConfigurationChangedNamingTheChangedFlags() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createMigrationFlag("users-email", Stage.SHADOW, "alice", null);
            f.admin.createMigrationFlag("orders-total", Stage.OFF, "alice", null);
            FlagwayProvider p = f.provider();
            String domain = "events-" + UUID.randomUUID();
            OpenFeatureAPI api = OpenFeatureAPI.getInstance();
            api.setProviderAndWait(domain, p);
            Client client = api.getClient(domain);
            assertThat(client.getProviderState()).isEqualTo(ProviderState.READY);
            List<EventDetails> changes = new CopyOnWriteArrayList<>();
            List<String> ready = new CopyOnWriteArrayList<>();
            client.onProviderConfigurationChanged(changes::add);
            client.onProviderReady(d -> ready.add("READY"));
            within(30, "READY handler run for a ready provider", () -> !ready.isEmpty());

            f.admin.setRollout("users-email", Stage.LIVE, 10, "alice", null);
            f.admin.createFlag("banner", FlagType.BOOLEAN, "true", "alice", null);
            within(30, "CONFIGURATION_CHANGED naming both flags", () -> changes.stream()
                    .flatMap(c -> c.getFlagsChanged().stream()).distinct().count() == 2);
            assertThat(changes.stream().flatMap(c -> c.getFlagsChanged().stream()))
                    .containsOnly("users-email", "banner");

            changes.clear();
            f.admin.delete("banner", 1, "alice", null);
            within(30, "CONFIGURATION_CHANGED for the deleted flag", () -> !changes.isEmpty());
            assertThat(changes.get(0).getFlagsChanged()).containsExactly("banner");
            within(30, "deleted flag gone", () ->
                    client.getBooleanDetails("banner", false).getErrorCode() == ErrorCode.FLAG_NOT_FOUND);
        }
    }

    @Test
    void shutdownStopsTheRefreshThreadAndEvaluationsAnswerProviderNotReady() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createMigrationFlag("users-email", Stage.SHADOW, "alice", null);
            FlagwayProvider p = f.started();
            String threadName = "flagway-flag-refresh[" + f.tables.flagsTable() + "]";
            assertThat(refreshThreadAlive(threadName)).isTrue();

            p.shutdown();
            // the executor has terminated; its worker thread may take a moment more to exit
            within(30, "the refresh thread to exit", () -> !refreshThreadAlive(threadName));
            assertThat(p.status()).isEqualTo(ProviderState.NOT_READY);
            assertThat(p.getStringEvaluation("users-email", "off", key("u")).getErrorCode())
                    .isEqualTo(ErrorCode.PROVIDER_NOT_READY);
            assertThatThrownBy(() -> p.initialize(new ImmutableContext()))
                    .isInstanceOf(OpenFeatureError.class).hasMessageContaining("shut down");
            p.shutdown(); // idempotent
        }
    }

    private static boolean refreshThreadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void theBuilderRefusesBadSettingsWithSpecificMessages() {
        DataSource ds = TestDatabase.H2.dataSource();
        assertThatThrownBy(() -> FlagwayProvider.builder(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("data source must not be null");
        FlagwayProvider.Builder b = FlagwayProvider.builder(ds);
        assertThatThrownBy(() -> b.refreshInterval(Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("refresh interval must be between 10ms and 1h but was 5ms");
        assertThatThrownBy(() -> b.refreshInterval(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 2h");
        assertThatThrownBy(() -> b.refreshInterval(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("refresh interval must not be null");
        assertThatThrownBy(() -> b.queryTimeout(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> b.tables(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tables must not be null");
        assertThatThrownBy(() -> b.tablePrefix("x; drop table users; --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain SQL identifier");
        assertThatThrownBy(() -> FlagwayTables.of("same", "same"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
        FlagwayProvider p = b.refreshInterval(Duration.ofMillis(250)).tablePrefix("app_").build();
        assertThat(p.refreshInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(p.tables().flagsTable()).isEqualTo("app_flags");
        assertThat(p.tables().auditTable()).isEqualTo("app_flag_audit");
        assertThat(FlagwayProvider.builder(ds).build().refreshInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(FlagwayProvider.builder(ds).build().tables()).isEqualTo(FlagwayTables.defaults());
    }
}
