package dev.flagway.openfeature;

import static dev.flagway.openfeature.Fixture.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Stage;
import dev.flagway.testing.TestDatabase;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FlagEvaluationMetricsHookTest {

    @Test
    void evaluationsAreCountedByFlagVariantReasonAndProviderAndErrorsByType() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.H2)) {
            f.admin.createMigrationFlag("users-email", Stage.SHADOW, "alice", null);
            f.admin.createMigrationFlag("orders-total", Stage.SHADOW, "alice", null);
            f.admin.setRollout("orders-total", Stage.LIVE, 100, "alice", null);
            f.admin.setRolloutPercentage("orders-total", 40, "alice", null);
            FlagwayProvider p = f.provider();
            String domain = "metrics-" + UUID.randomUUID();
            OpenFeatureAPI.getInstance().setProviderAndWait(domain, p);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Client client = OpenFeatureAPI.getInstance().getClient(domain);
            client.addHooks(new FlagEvaluationMetricsHook(registry));

            for (int i = 0; i < 3; i++) {
                client.getStringValue("users-email", "off", key("u" + i));
            }
            int live = 0;
            for (int i = 0; i < 100; i++) {
                if (client.getStringValue("orders-total", "off", key("u" + i)).equals("live")) {
                    live++;
                }
            }
            client.getStringValue("nope", "off", key("u"));
            client.getBooleanValue("users-email", false, key("u"));
            client.getStringValue("orders-total", "off"); // no targeting key

            assertThat(evaluations(registry, "users-email", "shadow", "static").count()).isEqualTo(3.0);
            assertThat(evaluations(registry, "orders-total", "live", "split").count()).isEqualTo(live);
            assertThat(evaluations(registry, "orders-total", "shadow", "split").count()).isEqualTo(100 - live);
            assertThat(evaluations(registry, "nope", "none", "error").count()).isEqualTo(1.0);
            assertThat(errors(registry, "nope", "flag_not_found").count()).isEqualTo(1.0);
            assertThat(errors(registry, "users-email", "type_mismatch").count()).isEqualTo(1.0);
            assertThat(errors(registry, "orders-total", "targeting_key_missing").count()).isEqualTo(1.0);

            // Counters are looked up once per tag combination: more evaluations add no meters.
            int meters = registry.getMeters().size();
            for (int i = 0; i < 50; i++) {
                client.getStringValue("users-email", "off", key("u"));
            }
            assertThat(registry.getMeters()).hasSize(meters);
            assertThat(evaluations(registry, "users-email", "shadow", "static").count()).isEqualTo(53.0);
        }
    }

    @Test
    void theHookNeedsARegistry() {
        assertThatThrownBy(() -> new FlagEvaluationMetricsHook(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("meter registry must not be null");
    }

    private static Counter evaluations(SimpleMeterRegistry registry, String flag, String variant, String reason) {
        return registry.get(FlagEvaluationMetricsHook.EVALUATIONS)
                .tag("feature_flag.key", flag)
                .tag("feature_flag.result.variant", variant)
                .tag("feature_flag.result.reason", reason)
                .tag("feature_flag.provider.name", "flagway")
                .counter();
    }

    private static Counter errors(SimpleMeterRegistry registry, String flag, String type) {
        return registry.get(FlagEvaluationMetricsHook.ERRORS)
                .tag("feature_flag.key", flag)
                .tag("error.type", type)
                .tag("feature_flag.provider.name", "flagway")
                .counter();
    }
}
