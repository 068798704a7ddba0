package dev.flagway.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Migration;
import dev.flagway.config.FlagwayConfigException;
import dev.flagway.config.FlagwaySettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * How the {@code flagway.*} properties are read from a Spring environment, environment variables
 * above all: a migration id with a dash cannot be written in an upper-case variable name, and
 * Kubernetes deployments set most of their configuration that way.
 */
class FlagwayEnvironmentTest {
    private static final Map<String, Object> USERS_EMAIL = Map.of(
            "flagway.migrations.users-email.table", "users",
            "flagway.migrations.users-email.key-column", "id",
            "flagway.migrations.users-email.legacy-column", "email",
            "flagway.migrations.users-email.new-column", "email_normalized");

    @Test
    void everySourceCountsWithSpringsPrecedenceAndVariablesMayBeNamedLikeTheKey() {
        Map<String, Object> file = new LinkedHashMap<>(USERS_EMAIL);
        file.put("flagway.migrations.users-email.table", "${USERS_TABLE}");
        file.put("flagway.migrations.users-email.breaker.window", "10s");
        file.put("flagway.shadow.threads", 3);
        // Kubernetes allows '.' and '-' in variable names: the key itself is a valid name there.
        Map<String, Object> variables = Map.of("flagway.migrations.users-email.breaker.window", "20s",
                "USERS_TABLE", "app.users");

        FlagwaySettings settings = bind(file, variables);

        Migration usersEmail = settings.migration("users-email").orElseThrow();
        assertThat(usersEmail.table()).isEqualTo("app.users");
        assertThat(usersEmail.breaker().window()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.shadowThreads()).isEqualTo(3);
        assertThat(settings.migrations()).containsOnlyKeys("users-email");
    }

    @Test
    void upperCaseVariablesSetTheKeysOfAMigrationWhoseIdHasADash() {
        Map<String, Object> variables = Map.of(
                "FLAGWAY_MIGRATIONS_USERSEMAIL_BREAKER_ERRORRATETHRESHOLD", "0.05",
                "FLAGWAY_MIGRATIONS_USERS_EMAIL_SHADOW_SAMPLE_RATE", "50%",
                "FLAGWAY_SHADOW_QUEUECAPACITY", "50",
                "FLAGWAY_PROVIDER_REFRESH_INTERVAL", "2s");

        FlagwaySettings settings = bind(USERS_EMAIL, variables);

        Migration usersEmail = settings.migration("users-email").orElseThrow();
        assertThat(usersEmail.breaker().errorRateThreshold()).isEqualTo(0.05);
        assertThat(usersEmail.shadow().sampleRate()).isEqualTo(0.5);
        assertThat(settings.shadowQueueCapacity()).isEqualTo(50);
        assertThat(settings.provider().refreshInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.migrations()).containsOnlyKeys("users-email");
    }

    @Test
    void aMigrationDeclaredOnlyInUpperCaseVariablesTakesItsIdAsWritten() {
        FlagwaySettings settings = bind(Map.of(), Map.of(
                "FLAGWAY_MIGRATIONS_ORDERS_TABLE", "orders",
                "FLAGWAY_MIGRATIONS_ORDERS_KEYCOLUMN", "id",
                "FLAGWAY_MIGRATIONS_ORDERS_LEGACY_COLUMN", "total",
                "FLAGWAY_MIGRATIONS_ORDERS_NEWCOLUMN", "total_cents"));

        assertThat(settings.migration("orders").orElseThrow().newColumn()).isEqualTo("total_cents");
    }

    @Test
    void springApplicationJsonCarriesIdsWithDashes() {
        FlagwaySettings settings = bind(Map.of(), Map.of("SPRING_APPLICATION_JSON", """
                {"flagway": {"migrations": {"users-email": {"table": "users", "key-column": "id",
                  "legacy-column": "email", "new-column": "email_normalized", "breaker": {"window": "30s"}}}}}"""));

        assertThat(settings.migration("users-email").orElseThrow().breaker().window()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void variablesOfOtherToolsThatStartWithFlagwayAreIgnored() {
        FlagwaySettings settings = bind(USERS_EMAIL, Map.of("FLAGWAY_PG_URL", "jdbc:postgresql://db/app",
                "FLAGWAY_REQUIRE_DB", "true", "FLAGWAY_MIGRATIONS", "x"));

        assertThat(settings.migrations()).containsOnlyKeys("users-email");
    }

    @Test
    void aBadValueInAVariableIsReportedUnderItsKeyWithEveryOtherProblem() {
        Map<String, Object> file = new LinkedHashMap<>(USERS_EMAIL);
        file.put("flagway.migrations.users-email.breaker.windw", "10s");

        assertThatThrownBy(() -> bind(file, Map.of("FLAGWAY_MIGRATIONS_USERSEMAIL_BREAKER_WINDOW", "soon")))
                .isInstanceOf(FlagwayConfigException.class)
                .satisfies(e -> assertThat(((FlagwayConfigException) e).problems()).containsExactlyInAnyOrder(
                        "flagway.migrations.users-email.breaker.window = 'soon': expected a duration in whole seconds"
                                + " such as 10s, 1m or PT30S",
                        "unknown property flagway.migrations.users-email.breaker.windw; did you mean"
                                + " flagway.migrations.users-email.breaker.window?"));
    }

    @Test
    void anUpperCaseIdThatMatchesTwoConfiguredIdsIsTakenAsWrittenNotGuessed() {
        Map<String, Object> file = new LinkedHashMap<>(USERS_EMAIL);
        USERS_EMAIL.forEach((key, value) -> file.put(key.replace("users-email", "users.email"), value));

        assertThatThrownBy(() -> bind(file, Map.of("FLAGWAY_MIGRATIONS_USERS_EMAIL_BREAKER_WINDOW", "20s")))
                .isInstanceOf(FlagwayConfigException.class)
                .hasMessageContaining("flagway.migrations.users_email.table is required");
    }

    /** Binds what an application would see with {@code file} in application.properties and {@code variables} set. */
    private static FlagwaySettings bind(Map<String, Object> file, Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        environment.getPropertySources().addLast(new MapPropertySource("application.properties", file));
        new SpringApplicationJsonEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        ConfigurationPropertySources.attach(environment);
        return FlagwayEnvironment.bind(environment, false);
    }
}
