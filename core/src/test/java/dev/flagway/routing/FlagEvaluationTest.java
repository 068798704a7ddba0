package dev.flagway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.Stage;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class FlagEvaluationTest {

    @Test
    void unknownVariantGivesTheDefaultStageAndIsCounted() {
        try (Fixture fx = Fixture.create()) {
            fx.flags.values(key -> "half-live; DROP TABLE users");

            assertThat(fx.runtime.flagStage("1")).isEqualTo(Stage.OFF);
            assertThat(fx.count("flagway.flag.errors", "reason", "unknown_variant")).isEqualTo(1.0);
        }
    }

    @Test
    void nullVariantGivesTheDefaultStage() {
        try (Fixture fx = Fixture.create()) {
            fx.flags.values(key -> null);

            assertThat(fx.runtime.flagStage("1")).isEqualTo(Stage.OFF);
            assertThat(fx.count("flagway.flag.errors")).isEqualTo(1.0);
        }
    }

    @Test
    void throwingProviderGivesTheConfiguredDefaultStageAndNeverReachesTheCaller() {
        try (Fixture fx = Fixture.create(m -> m.defaultStage(Stage.DUAL_WRITE), b -> b)) {
            fx.flags.values(key -> {
                throw new IllegalStateException("provider exploded");
            });
            fx.legacy.rows.put(1L, "legacy");

            assertThat(fx.runtime.flagStage("1")).isEqualTo(Stage.DUAL_WRITE);
            assertThat(fx.repository.email(1L)).isEqualTo("legacy");
            assertThat(fx.count("flagway.flag.errors", "reason", "general")).isEqualTo(2.0);
        }
    }

    @Test
    void variantNamesAreReadLeniently() {
        try (Fixture fx = Fixture.create()) {
            fx.flags.values(key -> " Dual-Write ");

            assertThat(fx.runtime.flagStage("1")).isEqualTo(Stage.DUAL_WRITE);
            assertThat(fx.count("flagway.flag.errors")).isZero();
        }
    }

    @Test
    void providerNotReadyGivesTheDefaultStage() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        TestFlags slow = new TestFlags() {
            @Override
            public void initialize(EvaluationContext context) throws Exception {
                never.await();
            }
        };
        String domain = "not-ready-" + UUID.randomUUID();
        OpenFeatureAPI.getInstance().setProvider(domain, slow.stage(Stage.LIVE));
        try (Fixture fx = Fixture.create(m -> m, b -> b.client(OpenFeatureAPI.getInstance().getClient(domain)))) {
            assertThat(fx.runtime.flagStage("1")).isEqualTo(Stage.OFF);
            assertThat(fx.count("flagway.flag.errors", "reason", "provider_not_ready")).isEqualTo(1.0);
        } finally {
            never.countDown();
        }
    }

    @Test
    void missingFlagGivesTheDefaultStage() {
        String domain = "empty-" + UUID.randomUUID();
        OpenFeatureAPI.getInstance().setProviderAndWait(domain, new InMemoryProvider(Map.of()));
        try (Fixture fx = Fixture.create(m -> m, b -> b.client(OpenFeatureAPI.getInstance().getClient(domain)))) {
            assertThat(fx.runtime.flagStage("1")).isEqualTo(Stage.OFF);
            assertThat(fx.count("flagway.flag.errors", "reason", "flag_not_found")).isEqualTo(1.0);
        }
    }
}
