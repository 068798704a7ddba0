package dev.flagway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Migration;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.schema.DdlSettings;
import dev.flagway.verify.VerifySettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A migration's own {@code backfill.*}, {@code ddl.*} and {@code verify.*} properties over the lifecycle factory's settings. */
class LifecycleOverridesTest {
    private static final String P = "flagway.migrations.users-email.";

    @Test
    void theMigrationsOwnSettingsReplaceOnlyTheKeysItGives() {
        Migration m = bind(Map.of("backfill.max-rows-per-second", "200", "backfill.max-batch-size", "500",
                "ddl.lock-timeout", "3s", "new-column-not-null", "true"));
        assertThat(m.newColumnNotNull()).isTrue();
        assertThat(m.lifecycleSettings()).containsEntry("backfill.max-rows-per-second", 200)
                .containsEntry("ddl.lock-timeout", Duration.ofSeconds(3));
        BackfillSettings global = BackfillSettings.custom().throttlePause(Duration.ofSeconds(7))
                .checkpointTable("my_checkpoints").build();
        BackfillSettings own = LifecycleOverrides.backfill(global, m);
        assertThat(own.maxRowsPerSecond()).isEqualTo(200);
        assertThat(own.maxBatchSize()).isEqualTo(500);
        assertThat(own.initialBatchSize()).as("capped by the lower maximum").isEqualTo(500);
        assertThat(own.throttlePause()).isEqualTo(Duration.ofSeconds(7));
        assertThat(own.checkpointTable()).isEqualTo("my_checkpoints");
        DdlSettings ddl = LifecycleOverrides.ddl(DdlSettings.custom().maxAttempts(3).build(), m);
        assertThat(ddl.lockTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(ddl.maxAttempts()).isEqualTo(3);
        Migration plain = bind(Map.of());
        assertThat(LifecycleOverrides.backfill(global, plain)).hasToString(global.toString());
    }

    @Test
    void aMigrationsVerifySettingsReplaceTheFactorysAndABadOneIsRefusedNamingTheKey() {
        Migration m = bind(Map.of("verify.parallelism", "1", "verify.statement-timeout", "5s"));
        VerifySettings global = VerifySettings.custom().chunkSize(10_000).parallelism(4).build();

        VerifySettings own = LifecycleOverrides.verify(global, m);

        assertThat(own.parallelism()).isOne();
        assertThat(own.statementTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(own.chunkSize()).as("the factory's").isEqualTo(10_000);
        assertThat(LifecycleOverrides.verify(global, bind(Map.of()))).hasToString(global.toString());
        assertThatThrownBy(() -> bind(Map.of("verify.parallelism", "0")))
                .isInstanceOf(FlagwayConfigException.class)
                .hasMessageContaining(P + "verify.parallelism = '0': verify parallelism must be at least 1");
        assertThatThrownBy(() -> bind(Map.of("verify.statement-timeout", "-1s")))
                .hasMessageContaining(P + "verify.statement-timeout = '-1s'");
    }

    @Test
    void aBadValueIsRefusedAtBindingNamingTheKeyAndAMisfitOneWhenTheLifecycleIsBuilt() {
        assertThatThrownBy(() -> bind(Map.of("backfill.max-batch-size", "0")))
                .isInstanceOf(FlagwayConfigException.class)
                .hasMessageContaining(P + "backfill.max-batch-size = '0': backfill max-batch-size must be at least 1");
        assertThatThrownBy(() -> bind(Map.of("ddl.lock-timeout", "soon")))
                .hasMessageContaining(P + "ddl.lock-timeout = 'soon': expected");
        Migration misfit = bind(Map.of("backfill.min-batch-size", "500", "backfill.max-batch-size", "50"));
        assertThatThrownBy(() -> LifecycleOverrides.backfill(BackfillSettings.ofDefaults(), misfit))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the backfill.* settings of migration 'users-email' [")
                .hasMessageContaining(P + "backfill.min-batch-size").hasMessageContaining(P + "backfill.max-batch-size")
                .hasMessageContaining("] do not fit the factory's: backfill batch sizes must satisfy");
        Migration unknown = Migration.builder("users-email").table("t").keyColumn("id").legacyColumn("a")
                .newColumn("b").lifecycleSetting("backfill.speed", 3).build();
        assertThatThrownBy(() -> LifecycleOverrides.backfill(BackfillSettings.ofDefaults(), unknown))
                .hasMessageContaining(P + "backfill.speed is not a setting; the backfill.* settings are [");
    }

    private static Migration bind(Map<String, String> own) {
        Map<String, String> p = new HashMap<>(Map.of(P + "table", "users", P + "key-column", "id", P + "legacy-column",
                "email", P + "new-column", "email_new"));
        own.forEach((k, v) -> p.put(P + k, v));
        return FlagwayProperties.bind(p).migrations().get("users-email");
    }
}
