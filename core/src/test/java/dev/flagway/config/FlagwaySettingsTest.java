package dev.flagway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Migration;
import dev.flagway.Stage;
import java.time.Duration;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlagwaySettingsTest {

    private static Migration migration(String id) {
        return Migration.builder(id).table("t").keyColumn("id").legacyColumn("a").newColumn("b").build();
    }

    @Test
    void defaultsAreTheDocumentedValues() {
        FlagwaySettings defaults = FlagwaySettings.ofDefaults();

        assertThat(defaults.migrations()).isEmpty();
        assertThat(defaults.defaultStage()).isEqualTo(Stage.OFF);
        assertThat(defaults.flagErrorLogInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(defaults.shadowThreads()).isEqualTo(2);
        assertThat(defaults.shadowQueueCapacity()).isEqualTo(1000);
        assertThat(defaults.backfillLatencyEnabled()).isTrue();
        assertThat(defaults.backfillLatencyMeter()).isEqualTo("http.server.requests");
        assertThat(FlagwaySettings.custom().build()).isEqualTo(defaults).hasSameHashCodeAs(defaults);
    }

    @Test
    void builderSetsEverySetting() {
        FlagwaySettings settings = FlagwaySettings.custom()
                .defaultStage(Stage.SHADOW).flagErrorLogInterval(Duration.ofSeconds(5))
                .shadowThreads(64).shadowQueueCapacity(1_000_000).build();

        assertThat(settings.defaultStage()).isEqualTo(Stage.SHADOW);
        assertThat(settings.flagErrorLogInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.shadowThreads()).isEqualTo(64);
        assertThat(settings.shadowQueueCapacity()).isEqualTo(1_000_000);
        assertThat(settings).isNotEqualTo(FlagwaySettings.ofDefaults());
        assertThat(settings.toString()).contains("default-stage=shadow", "flag-error-log-interval=5s");
    }

    @Test
    void migrationsAreFoundByIdInDefinitionOrderAndUnmodifiable() {
        FlagwaySettings settings = FlagwaySettings.custom()
                .migration(migration("zeta")).migration(migration("alpha")).build();

        assertThat(settings.migrations().keySet()).containsExactly("zeta", "alpha");
        assertThat(settings.migration("alpha")).contains(migration("alpha"));
        assertThat(settings.migration("missing")).isEmpty();
        assertThatThrownBy(() -> settings.migrations().remove("zeta")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void builtSettingsDoNotChangeWhenTheBuilderGoesOn() {
        FlagwaySettings.Builder builder = FlagwaySettings.custom().migration(migration("first"));
        FlagwaySettings built = builder.build();

        builder.migration(migration("second"));

        assertThat(built.migrations()).containsOnlyKeys("first");
    }

    static Stream<Arguments> invalidArguments() {
        return Stream.of(
                Arguments.of((ThrowingCallable) () -> FlagwaySettings.custom().shadowThreads(0),
                        "shadow threads must be between 1 and 64 but was 0"),
                Arguments.of((ThrowingCallable) () -> FlagwaySettings.custom().shadowThreads(65),
                        "shadow threads must be between 1 and 64 but was 65"),
                Arguments.of((ThrowingCallable) () -> FlagwaySettings.custom().shadowQueueCapacity(0),
                        "shadow queue capacity must be between 1 and 1000000 but was 0"),
                Arguments.of((ThrowingCallable) () -> FlagwaySettings.custom().shadowQueueCapacity(1_000_001),
                        "shadow queue capacity must be between 1 and 1000000 but was 1000001"),
                Arguments.of((ThrowingCallable) () -> FlagwaySettings.custom().flagErrorLogInterval(Duration.ZERO),
                        "flag error log interval must be positive but was 0ms"),
                Arguments.of((ThrowingCallable) () -> FlagwaySettings.custom().flagErrorLogInterval(Duration.ofSeconds(-3)),
                        "flag error log interval must be positive but was"),
                Arguments.of((ThrowingCallable) () -> FlagwaySettings.custom().flagErrorLogInterval(null),
                        "flag error log interval must not be null"),
                Arguments.of((ThrowingCallable) () -> FlagwaySettings.custom().defaultStage(null),
                        "default stage must not be null"),
                Arguments.of((ThrowingCallable) () -> FlagwaySettings.custom().backfillLatencyMeter(null),
                        "backfill latency meter must not be null"),
                Arguments.of((ThrowingCallable) () -> FlagwaySettings.custom().backfillLatencyMeter(" "),
                        "backfill latency meter must not be blank"),
                Arguments.of((ThrowingCallable) () -> FlagwaySettings.custom().migration(null),
                        "migration must not be null"),
                Arguments.of((ThrowingCallable) () -> FlagwaySettings.custom().migration(migration("users-email"))
                                .migration(migration("users-email")),
                        "migration 'users-email' is defined twice"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidArguments")
    void builderRejectsInvalidArgumentsNamingThem(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
