package dev.flagway.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.FallbackListener;
import dev.flagway.FlagStateStore;
import dev.flagway.routing.Flagway;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.Stage;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.config.FlagwayProperties;
import dev.flagway.config.FlagwaySettings;
import dev.flagway.config.ProviderSettings;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.openfeature.FlagAdmin;
import dev.flagway.openfeature.FlagwayProvider;
import dev.flagway.openfeature.FlagwayTables;
import dev.flagway.spring.SpringTransactionRunner;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The auto-configuration on H2: the beans it makes and wires (settings, transactions, journal,
 * OpenFeature client, provider, meters), how they back off, and the start-up failures it explains.
 * Each case starts a small context of its own (no web server), as Spring Boot tests its own
 * auto-configurations.
 */
class FlagwayAutoConfigurationTest {
    private static final String[] USERS_EMAIL = {
            "flagway.migrations.users-email.table=users",
            "flagway.migrations.users-email.key-column=id",
            "flagway.migrations.users-email.legacy-column=email",
            "flagway.migrations.users-email.new-column=email_normalized"};

    private final String databaseUrl = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                    FlagwayAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=" + databaseUrl);

    @Test
    void startsFlagwayOnTheApplicationsDataSourceAndTransactionManager() {
        runner.withPropertyValues(USERS_EMAIL).run(context -> {
            assertThat(context).hasNotFailed()
                    .hasSingleBean(FlagwaySettings.class)
                    .hasSingleBean(SpringTransactionRunner.class)
                    .hasSingleBean(FallbackJournal.class)
                    .hasSingleBean(Flagway.class)
                    .doesNotHaveBean(FlagwayProvider.class);
            assertThat(context.getBean(Flagway.class).migration("users-email").migration().newColumn())
                    .isEqualTo("email_normalized");
            assertThat(context.getBean(JdbcTemplate.class).queryForObject("select count(*) from flagway_repair",
                    Integer.class)).as("the repair table, created in a Spring transaction").isZero();
        });
    }

    @Test
    void evaluatesFlagsWithTheApplicationsOpenFeatureClient() {
        runner.withPropertyValues(USERS_EMAIL).withUserConfiguration(ShadowClient.class).run(context ->
                assertThat(context.getBean(Flagway.class).migration("users-email").flagStage("user-1"))
                        .isEqualTo(Stage.SHADOW));
    }

    @Test
    void withoutAClientBeanEvaluatesWithTheGlobalApisClient() {
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        api.setProviderAndWait(new InMemoryProvider(Map.of("users-email", stage("live"))));
        try {
            runner.withPropertyValues(USERS_EMAIL).run(context ->
                    assertThat(context.getBean(Flagway.class).migration("users-email").flagStage("user-1"))
                            .isEqualTo(Stage.LIVE));
        } finally {
            api.setProviderAndWait(new NoOpProvider());
        }
    }

    @Test
    void everyFallbackReachesTheJournalAndTheApplicationsListenersAndIsCountedInItsMeterRegistry() {
        runner.withPropertyValues(USERS_EMAIL).withUserConfiguration(LiveClient.class, Listeners.class).run(context -> {
            Instant start = Instant.now().minusSeconds(60);
            MigrationRuntime usersEmail = context.getBean(Flagway.class).migration("users-email");

            String answer = usersEmail.reader().read("user-1", () -> "legacy", () -> {
                throw new IllegalStateException("modern read fails");
            });

            assertThat(answer).isEqualTo("legacy");
            assertThat(context.getBean(FallbackJournal.class).fallbacksSince("users-email", start)).isOne();
            assertThat(context.getBean(Listeners.class).heard).containsExactly("users-email");
            assertThat(context.getBean(MeterRegistry.class).get("flagway.fallbacks").counter().count()).isOne();
        });
    }

    @Test
    void theApplicationsOwnBeansReplaceTheStartersOnes() {
        runner.withPropertyValues(USERS_EMAIL).withUserConfiguration(OwnSettings.class).run(context -> {
            assertThat(context).hasSingleBean(FlagwaySettings.class);
            assertThat(context.getBean(Flagway.class).migrations()).extracting(m -> m.migration().id())
                    .containsExactly("own");
        });
    }

    @Test
    void closesFlagwayAndFlushesTheJournalOnShutdown() throws InterruptedException {
        long watchdogsBefore = liveThreads("flagway-shadow-dispatcher-");
        runner.withPropertyValues(USERS_EMAIL).withUserConfiguration(LiveClient.class).run(context -> {
            assertThat(liveThreads("flagway-shadow-dispatcher-")).isEqualTo(watchdogsBefore + 1);
            context.getBean(Flagway.class).migration("users-email").reader().read("user-1", () -> "legacy", () -> {
                throw new IllegalStateException("modern read fails");
            });
        });

        awaitTrue("the shadow pool stopped", () -> liveThreads("flagway-shadow-dispatcher-") == watchdogsBefore);
        JdbcTemplate jdbc = new JdbcTemplate(new SimpleDriverDataSource(new org.h2.Driver(), databaseUrl, "sa", ""));
        assertThat(jdbc.queryForObject("select sum(fallbacks) from flagway_fallbacks where migration_id = 'users-email'",
                Long.class)).as("flushed when the journal closed").isOne();
    }

    @Test
    void withTheProviderEnabledTheFlagsLiveInTheDatabaseAndATrippedBreakerDisablesTheFlagForTheFleet() {
        runner.withPropertyValues(USERS_EMAIL)
                .withPropertyValues("flagway.provider.enabled=true", "flagway.provider.refresh-interval=50ms",
                        "flagway.provider.table-prefix=app_",
                        "flagway.migrations.users-email.breaker.minimum-calls=5")
                .withUserConfiguration(Meters.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(FlagwayProvider.class).hasSingleBean(FlagAdmin.class)
                            .hasSingleBean(FlagStateStore.class);
                    FlagwayProvider provider = context.getBean(FlagwayProvider.class);
                    assertThat(provider.tables().flagsTable()).isEqualTo("app_flags");
                    assertThat(OpenFeatureAPI.getInstance().getProvider(OpenFeatureRegistration.DOMAIN)).isSameAs(provider);

                    FlagAdmin admin = context.getBean(FlagAdmin.class);
                    admin.createMigrationFlag("users-email", Stage.LIVE, "alice", "rollout");
                    MigrationRuntime usersEmail = context.getBean(Flagway.class).migration("users-email");
                    awaitTrue("the provider serves the new flag", () -> usersEmail.flagStage("user-1") == Stage.LIVE);
                    assertThat(context.getBean(MeterRegistry.class).find("feature_flag.evaluations").counters()).isNotEmpty();

                    for (int i = 0; i < 10; i++) {
                        usersEmail.reader().read("user-" + i, () -> "legacy", () -> {
                            throw new IllegalStateException("modern read fails");
                        });
                    }
                    assertThat(usersEmail.breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
                    awaitTrue("the breaker disabled the flag in the table", () -> !admin.get("users-email").enabled());
                    assertThat(admin.history("users-email")).last().satisfies(e -> assertThat(e.actor()).isEqualTo("circuit-breaker"));
                });
    }

    @Test
    void theDocumentedProviderDefaultsAreTheProvidersOwn() {
        FlagwayProvider provider = FlagwayProvider.builder(new SimpleDriverDataSource()).build();
        ProviderSettings defaults = ProviderSettings.ofDefaults();

        assertThat(provider.tables()).isEqualTo(FlagwayTables.withPrefix(defaults.tablePrefix()));
        assertThat(provider.refreshInterval()).isEqualTo(defaults.refreshInterval());
    }

    @Test
    void theProviderIsShutDownAndUnregisteredWithTheContext() {
        FlagwayProvider[] provider = new FlagwayProvider[1];
        runner.withPropertyValues(USERS_EMAIL).withPropertyValues("flagway.provider.enabled=true")
                .run(context -> provider[0] = context.getBean(FlagwayProvider.class));

        assertThat(provider[0].status()).isEqualTo(ProviderState.NOT_READY);
        assertThat(OpenFeatureAPI.getInstance().getProvider(OpenFeatureRegistration.DOMAIN)).isNotSameAs(provider[0]);
    }

    @Test
    void everyInvalidPropertyIsReportedAtOnceWithTheWayToFixIt() {
        runner.withPropertyValues(USERS_EMAIL).withPropertyValues("flagway.migrations.users-email.breaker.window=soon",
                "flagway.shadow.thread=4").run(context -> {
                    FailureAnalysis analysis = analysis(context);
                    assertThat(analysis.getDescription()).contains("2 problems",
                            "flagway.migrations.users-email.breaker.window = 'soon'",
                            "unknown property flagway.shadow.thread; did you mean flagway.shadow.threads?");
                    assertThat(analysis.getAction()).contains("flagway.* properties");
                });
    }

    @Test
    void aProviderSettingTheProviderRefusesIsReportedUnderItsKey() {
        runner.withPropertyValues(USERS_EMAIL).withPropertyValues("flagway.provider.enabled=true",
                "flagway.provider.refresh-interval=5ms").run(context ->
                assertThat(analysis(context).getDescription())
                        .startsWith("flagway.provider.refresh-interval: refresh interval must be between 10ms and 1h"));
    }

    @Test
    void withoutAMigrationTheFailureSaysHowToConfigureOne() {
        runner.run(context -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).contains("no migration is configured");
            assertThat(analysis.getAction()).contains("flagway.migrations.<id>.table");
        });
    }

    static FailureAnalysis analysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new FlagwayFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).as("analyzed: " + context.getStartupFailure()).isNotNull();
        return analysis;
    }

    private static Flag<String> stage(String stage) {
        return Flag.<String>builder().variant(stage, stage).defaultVariant(stage).build();
    }

    private static Client clientServing(String stage) {
        String domain = "test-" + UUID.randomUUID();
        OpenFeatureAPI.getInstance().setProviderAndWait(domain, new InMemoryProvider(Map.of("users-email", stage(stage))));
        return OpenFeatureAPI.getInstance().getClient(domain);
    }

    private static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ShadowClient {
        @Bean
        Client client() {
            return clientServing("shadow");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LiveClient {
        @Bean
        Client client() {
            return clientServing("live");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Meters {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners extends Meters implements FallbackListener {
        final List<String> heard = new CopyOnWriteArrayList<>();

        @Override
        public void onFallback(String migrationId) {
            heard.add(migrationId);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSettings {
        @Bean
        FlagwaySettings ownSettings() {
            return FlagwayProperties.bind(Map.of("flagway.migrations.own.table", "t",
                    "flagway.migrations.own.key-column", "id", "flagway.migrations.own.legacy-column", "a",
                    "flagway.migrations.own.new-column", "b"));
        }
    }
}
