package dev.flagway.openfeature;

import static dev.flagway.openfeature.Fixture.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.routing.Flagway;
import dev.flagway.Migration;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.Stage;
import dev.flagway.breaker.BreakerConfig;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.testing.TestDatabase;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole loop on one database: instance A's circuit breaker trips on real modern-path failures,
 * the provider's flag store disables the migration, and instance B — whose own breaker saw nothing —
 * sends its reads to the legacy column within a few refresh intervals.
 */
class BreakerAcrossTheFleetTest {

    private static Flagway instance(FlagwayProvider provider, boolean persistsTrips) {
        String domain = "fleet-" + UUID.randomUUID();
        OpenFeatureAPI.getInstance().setProviderAndWait(domain, provider);
        Migration migration = Migration.builder("users-email").table("users").keyColumn("id")
                .legacyColumn("email").newColumn("email_normalized")
                .breaker(BreakerConfig.custom().minimumCalls(50).build()).build();
        Flagway.Builder builder = Flagway.builder().client(OpenFeatureAPI.getInstance().getClient(domain)).migration(migration);
        if (persistsTrips) {
            builder.flagStateStore(provider.flagStateStore());
        }
        return builder.build();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void tripInOneInstanceMovesEveryInstanceOffTheModernPath(TestDatabase db) throws Exception {
        try (Fixture f = new Fixture(db);
             Flagway a = instance(f.provider(), true);
             Flagway b = instance(f.provider(), true)) {
            f.admin.createMigrationFlag("users-email", Stage.SHADOW, "alice", null);
            f.admin.setRollout("users-email", Stage.LIVE, 100, "alice", "everyone");
            MigrationRuntime onA = a.migration("users-email");
            MigrationRuntime onB = b.migration("users-email");
            within(20, "both instances live", () -> onA.effectiveStage("u1") == Stage.LIVE
                    && onB.effectiveStage("u1") == Stage.LIVE);

            for (int i = 0; i < 200; i++) {
                int call = i;
                assertThat(onA.reader().read("user-" + i, () -> "legacy", () -> {
                    if (call % 10 == 0) {
                        throw new IllegalStateException("modern column broken on A");
                    }
                    return "legacy";
                })).isEqualTo("legacy");
            }

            assertThat(onA.breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
            within(20, "instance B leaves the modern path", () -> onB.effectiveStage("u1") == Stage.DUAL_WRITE);
            assertThat(onB.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(onB.reader().read("u2", () -> "legacy", () -> "modern")).isEqualTo("legacy");
            FlagAuditEntry last = f.admin.history("users-email").get(f.admin.history("users-email").size() - 1);
            assertThat(last.actor()).isEqualTo("circuit-breaker");
            assertThat(last.reason()).contains("circuit breaker of migration 'users-email' opened: error rate");
        }
    }
}
