package dev.flagway.openfeature;

import static dev.flagway.openfeature.Fixture.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.Stage;
import dev.flagway.testing.TestDatabase;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ProviderEvaluation;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A change made through a provider's own admin is served by that provider as soon as the call returns;
 * another instance sees it at its next refresh. The providers here refresh once an hour, so no
 * refresh can explain what the first one serves.
 */
class LocalAdminChangeTest {

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB"})
    void aChangeThroughTheLocalAdminIsServedAtOnceAndElsewhereAfterTheRefresh(TestDatabase db) throws Exception {
        try (Fixture f = new Fixture(db)) {
            FlagwayProvider local = hourly(f);
            FlagwayProvider other = hourly(f);
            FlagAdmin admin = local.admin();

            admin.createMigrationFlag("users-email", Stage.DUAL_WRITE, "alice", "start");
            assertThat(stage(local, "u1")).isEqualTo("dual_write");
            assertThat(other.getStringEvaluation("users-email", "unset", key("u1")).getErrorCode())
                    .isEqualTo(ErrorCode.FLAG_NOT_FOUND);

            admin.setStage("users-email", Stage.SHADOW, "alice", null);
            admin.setRollout("users-email", Stage.LIVE, 100, "alice", "all in");
            assertThat(stage(local, "u1")).isEqualTo("live");

            admin.disable("users-email", "circuit-breaker", "error rate 3.2%");
            ProviderEvaluation<String> disabled = local.getStringEvaluation("users-email", "unset", key("u1"));
            assertThat(disabled.getValue()).isEqualTo("dual_write");
            assertThat(disabled.getReason()).isEqualTo("DISABLED");
            admin.enable("users-email", "alice", "fixed");
            assertThat(stage(local, "u1")).isEqualTo("live");

            other.refreshNow();
            assertThat(stage(other, "u1")).isEqualTo("live");

            admin.delete("users-email", admin.get("users-email").version(), "alice", "done");
            assertThat(local.getStringEvaluation("users-email", "unset", key("u1")).getErrorCode())
                    .isEqualTo(ErrorCode.FLAG_NOT_FOUND);
            assertThat(stage(other, "u1")).isEqualTo("live"); // until its next refresh
        }
    }

    private static FlagwayProvider hourly(Fixture f) throws Exception {
        FlagwayProvider p = FlagwayProvider.builder(f.dataSource).tables(f.tables).refreshInterval(Duration.ofHours(1))
                .build();
        p.initialize(new ImmutableContext());
        f.track(p);
        return p;
    }

    private static String stage(FlagwayProvider p, String user) {
        return p.getStringEvaluation("users-email", "unset", key(user)).getValue();
    }
}
