package dev.flagway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.DualWrite;
import dev.flagway.Migration;
import dev.flagway.ShadowConfig;
import dev.flagway.Stage;
import dev.flagway.WritePolicy;
import dev.flagway.breaker.BreakerConfig;
import java.time.Duration;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationDefinitionTest {

    private static Migration.Builder valid() {
        return Migration.builder("users-email").table("users").keyColumn("id")
                .legacyColumn("email").newColumn("email_normalized");
    }

    @ParameterizedTest
    @ValueSource(strings = {"users; DROP TABLE x", "users\"; drop table x; --", "us`ers", "users'", "1users",
            "users email", "users--", ""})
    void hostileOrMalformedTableNamesAreRefused(String name) {
        assertThatThrownBy(() -> valid().table(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("table of migration 'users-email'");
    }

    @Test
    void overlongIdentifierIsRefusedWithItsLength() {
        String longName = "c".repeat(200);
        assertThatThrownBy(() -> valid().newColumn(longName))
                .hasMessageContaining("is 200 characters long; at most 63 are allowed")
                .hasMessageContaining("...");
    }

    @ParameterizedTest
    @ValueSource(strings = {"email; DROP TABLE x", "e\"mail", "e-mail"})
    void hostileColumnNamesAreRefused(String name) {
        assertThatThrownBy(() -> valid().legacyColumn(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a plain SQL identifier");
    }

    @Test
    void schemaQualifiedTableIsQuotedPartByPart() {
        Migration m = valid().table("app.users").build();

        assertThat(DSL.using(org.jooq.SQLDialect.POSTGRES).render(DSL.table(m.tableName()))).isEqualTo("\"app\".\"users\"");
        assertThatThrownBy(() -> valid().table("a.b.c")).hasMessageContaining("has more than one '.'");
    }

    @Test
    void invalidMigrationIdIsRefused() {
        assertThatThrownBy(() -> Migration.builder("Users Email"))
                .hasMessageStartingWith("migration id 'Users Email' is invalid");
    }

    @Test
    void everyMissingSettingIsNamedAtBuild() {
        assertThatThrownBy(() -> Migration.builder("m").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("migration 'm' is missing: table, key column, legacy column, new column");
    }

    @Test
    void sameLegacyAndNewColumnIsRefused() {
        assertThatThrownBy(() -> valid().newColumn("EMAIL").build())
                .hasMessage("migration 'users-email': legacy column and new column are both 'email'");
    }

    @Test
    void defaultsFollowTheDesign() {
        Migration m = valid().build();

        assertThat(m.flagKey()).isEqualTo("users-email");
        assertThat(m.defaultStage()).isEqualTo(Stage.OFF);
        assertThat(m.writePolicy()).isEqualTo(WritePolicy.REPAIR);
        assertThat(m.breaker().errorRateThreshold()).isEqualTo(0.01);
        assertThat(m.breaker().p95LatencyThreshold()).isEqualTo(Duration.ofMillis(250));
        assertThat(m.breaker().waitInOpen()).isEmpty();
        assertThat(m.shadow().sampleRate()).isEqualTo(1.0);
        assertThat(m.transform().apply("x")).isEqualTo("x");
    }

    @Test
    void toBuilderDerivesAnEqualCopyThatCanChange() {
        Migration m = valid().build();

        assertThat(m.toBuilder().build()).isEqualTo(m).hasSameHashCodeAs(m);
        assertThat(m.toBuilder().flag("other").build()).isNotEqualTo(m);
    }

    @Test
    void breakerBuilderNamesBadValues() {
        assertThatThrownBy(() -> BreakerConfig.custom().errorRateThreshold(1.5))
                .hasMessage("error-rate-threshold must be a ratio in (0, 1], e.g. 0.01, but was 1.5");
        assertThatThrownBy(() -> BreakerConfig.custom().window(Duration.ofMillis(1500)))
                .hasMessage("window must be whole seconds between 1s and 1h but was 1500ms");
        assertThatThrownBy(() -> BreakerConfig.custom().p95LegacyRatioThreshold(0.5))
                .hasMessageContaining("greater than 1");
        assertThatThrownBy(() -> BreakerConfig.custom().minimumCalls(0))
                .hasMessage("minimum-calls must be at least 1 but was 0");
        assertThatThrownBy(() -> ShadowConfig.custom().timeout(Duration.ZERO))
                .hasMessage("shadow timeout must be positive but was 0ms");
    }

    @Test
    void launchDarklyMigrationStageValuesNameTheSameStages() {
        // LaunchDarkly's MigrationStage values, as its migration flags hold them
        assertThat(Stage.fromFlagValue("off")).contains(Stage.OFF);
        assertThat(Stage.fromFlagValue("dualwrite")).contains(Stage.DUAL_WRITE);
        assertThat(Stage.fromFlagValue("shadow")).contains(Stage.SHADOW);
        assertThat(Stage.fromFlagValue("live")).contains(Stage.LIVE);
        assertThat(Stage.fromFlagValue("rampdown")).contains(Stage.RAMP_DOWN);
        assertThat(Stage.fromFlagValue("complete")).contains(Stage.COMPLETE);
        assertThat(Stage.fromFlagValue("DualWrite")).contains(Stage.DUAL_WRITE);
        assertThat(Stage.fromFlagValue("RAMPDOWN ")).contains(Stage.RAMP_DOWN);
    }

    @Test
    void stageFlagValuesRoundTripAndGarbageIsEmpty() {
        for (Stage stage : Stage.values()) {
            assertThat(Stage.fromFlagValue(stage.flagValue())).contains(stage);
        }
        assertThat(Stage.fromFlagValue("LIVE ")).contains(Stage.LIVE);
        assertThat(Stage.fromFlagValue("dual-write")).contains(Stage.DUAL_WRITE);
        assertThat(Stage.fromFlagValue(" Ramp-Down")).contains(Stage.RAMP_DOWN);
        assertThat(Stage.fromFlagValue("ramp__down")).isEmpty();
        assertThat(Stage.fromFlagValue("_live")).isEmpty();
        assertThat(Stage.fromFlagValue("liv")).isEmpty();
        assertThat(Stage.fromFlagValue(null)).isEmpty();
        assertThat(Stage.RAMP_DOWN.fallsBackToLegacy()).isTrue();
        assertThat(Stage.COMPLETE.fallsBackToLegacy()).isFalse();
    }
}
