package dev.flagway.spring.boot.autoconfigure;

import dev.flagway.FallbackListener;
import dev.flagway.FlagStateStore;
import dev.flagway.routing.Flagway;
import dev.flagway.config.FlagwaySettings;
import dev.flagway.config.ProviderSettings;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.dialect.Dialect;
import dev.flagway.lifecycle.BackfillHealthSignals;
import dev.flagway.lifecycle.MigrationLifecycles;
import dev.flagway.jdbc.TransactionRunner;
import dev.flagway.openfeature.FlagAdmin;
import dev.flagway.openfeature.FlagwayProvider;
import dev.flagway.spring.FlagwayStartupException;
import dev.flagway.spring.HibernateSavepointParticipant;
import dev.flagway.spring.SavepointParticipant;
import dev.flagway.spring.SpringTransactionRunner;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.hibernate.engine.spi.SessionImplementor;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Auto-configuration of Flagway in a Spring Boot application with one {@link DataSource}: the
 * {@link FlagwaySettings} bound from the environment's {@code flagway.*} properties, a
 * {@link SpringTransactionRunner} on the application's transaction manager, the contract gate's
 * {@link FallbackJournal}, the {@link Flagway} runtime, the routing proxies of the
 * {@link dev.flagway.spring.FlagwayRepository @FlagwayRepository} interfaces, and, with
 * {@code flagway.provider.enabled=true}, Flagway's database-backed OpenFeature provider with its
 * {@link FlagAdmin} and {@link FlagStateStore}. Every bean backs off when the application defines its own.
 *
 * <p>Flags are evaluated with the application's OpenFeature {@link Client} bean, else with
 * {@code OpenFeatureAPI.getInstance().getClient()}; with the provider enabled, with the client of the
 * {@code flagway} domain the provider is registered for.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class})
@ConditionalOnClass({Flagway.class, PlatformTransactionManager.class})
@ConditionalOnSingleCandidate(DataSource.class)
@Import(FlagwayRepositoriesRegistrar.class)
public class FlagwayAutoConfiguration {

    /** Creates the auto-configuration (Spring does). */
    public FlagwayAutoConfiguration() {
    }

    /**
     * The settings, bound from the environment by Flagway's own binder.
     *
     * @throws dev.flagway.config.FlagwayConfigException listing every problem of the {@code flagway.*} properties
     */
    @Bean
    @ConditionalOnMissingBean
    public FlagwaySettings flagwaySettings(ConfigurableEnvironment environment) {
        return FlagwayEnvironment.bind(environment, true);
    }

    /** Dual writes in the caller's Spring transaction, or in one of their own. */
    @Bean
    @ConditionalOnMissingBean(TransactionRunner.class)
    @ConditionalOnSingleCandidate(PlatformTransactionManager.class)
    public SpringTransactionRunner flagwayTransactionRunner(PlatformTransactionManager transactionManager,
                                                            DataSource dataSource,
                                                            ObjectProvider<SavepointParticipant> participants) {
        return new SpringTransactionRunner(transactionManager, dataSource, participants.orderedStream().toList());
    }

    /** The fallback counts the contract gate judges, shared by the fleet in {@code flagway_fallbacks}. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public FallbackJournal flagwayFallbackJournal(DataSource dataSource) {
        return FallbackJournal.start(dataSource);
    }

    /**
     * The Flagway runtime: every configured migration, its flag, breaker, reader and writer.
     *
     * @throws FlagwayStartupException when it cannot start (no migration configured, no repair table)
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public Flagway flagway(FlagwaySettings settings, TransactionRunner transactionRunner,
                           ObjectProvider<MigrationFlagClient> providerClient,
                           ObjectProvider<Client> clients, ObjectProvider<FallbackListener> fallbackListeners,
                           ObjectProvider<FlagStateStore> flagStateStores, ObjectProvider<MeterRegistry> meterRegistries,
                           ObjectProvider<FlagwayBuilderCustomizer> customizers) {
        MigrationFlagClient registration = providerClient.getIfAvailable();
        Flagway.Builder builder = Flagway.builder()
                .settings(settings)
                .transactionRunner(transactionRunner)
                .client(registration != null ? registration.client()
                        : clients.getIfUnique(() -> OpenFeatureAPI.getInstance().getClient()));
        flagStateStores.ifUnique(builder::flagStateStore);
        meterRegistries.ifUnique(builder::meterRegistry);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        builder.fallbackListener(FallbackListener.allOf(fallbackListeners.orderedStream().toList()));
        try {
            return builder.build();
        } catch (IllegalStateException e) {
            throw new FlagwayStartupException("Flagway cannot start: " + e.getMessage() + ".", settings.migrations().isEmpty()
                    ? "Configure a migration: flagway.migrations.<id>.table, .key-column, .legacy-column and "
                    + ".new-column (or add one with a FlagwayBuilderCustomizer)."
                    : "Check that the application's DataSource is reachable and may create tables.", e);
        }
    }

    /** Keeps Hibernate persistence contexts in step with the savepoints of dual writes. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({EntityManagerFactory.class, SessionImplementor.class, EntityManagerFactoryUtils.class})
    static class HibernateConfiguration {
        @Bean
        @ConditionalOnMissingBean
        HibernateSavepointParticipant flagwayHibernateSavepointParticipant(ObjectProvider<EntityManagerFactory> factories) {
            return new HibernateSavepointParticipant(factories.orderedStream().toList());
        }
    }

    /** Flagway's database-backed OpenFeature provider, with {@code flagway.provider.enabled=true}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(FlagwayProvider.class)
    @Conditional(ProviderEnabledCondition.class)
    static class ProviderConfiguration {
        @Bean
        @ConditionalOnMissingBean
        @DependsOnDatabaseInitialization
        FlagwayProvider flagwayProvider(DataSource dataSource, FlagwaySettings settings) {
            ProviderSettings provider = settings.provider();
            FlagwayProvider.Builder builder = FlagwayProvider.builder(dataSource).createTables(provider.createTables());
            apply("flagway.provider.table-prefix", () -> builder.tablePrefix(provider.tablePrefix()));
            apply("flagway.provider.refresh-interval", () -> builder.refreshInterval(provider.refreshInterval()));
            return builder.build();
        }

        private static void apply(String key, Runnable setting) {
            try {
                setting.run();
            } catch (IllegalArgumentException e) {
                throw new FlagwayStartupException(key + ": " + e.getMessage() + ".",
                        "Set " + key + " to a value Flagway's provider accepts.", e);
            }
        }

        @Bean
        OpenFeatureRegistration flagwayOpenFeatureRegistration(FlagwayProvider provider,
                                                               ObjectProvider<MeterRegistry> meterRegistries) {
            return new OpenFeatureRegistration(provider, meterRegistries.getIfUnique());
        }

        /** Audited flag changes, and the flag history the contract gate judges. */
        @Bean
        @ConditionalOnMissingBean
        FlagAdmin flagAdmin(FlagwayProvider provider) {
            return provider.admin();
        }

        /**
         * One guarded lifecycle per migration, moving the flag in this database; on the application's
         * {@link Dialect} bean, else the dialect of its server; its backfills also watch the
         * {@link BackfillHealthSignals} bean.
         */
        @Bean
        @ConditionalOnMissingBean
        MigrationLifecycles flagwayLifecycles(Flagway flagway, DataSource dataSource, ObjectProvider<Dialect> dialects,
                                              FlagAdmin admin, ObjectProvider<BackfillHealthSignals> backfillSignals) {
            MigrationLifecycles.Builder builder = MigrationLifecycles.builder(flagway, dataSource,
                    dialects.getIfAvailable(() -> ServerDialects.of(dataSource)), admin);
            backfillSignals.ifUnique(builder::backfillHealthSignals);
            return builder.build();
        }

        /**
         * What the lifecycle's backfills watch besides the database: with {@code flagway.backfill.latency.enabled}
         * (true by default) and a unique {@link MeterRegistry} bean, the application's own request latency, the
         * timers named {@code flagway.backfill.latency.meter} ({@code http.server.requests} by default), so a
         * backfill backs off when the application's requests slow down; none otherwise, and none for a run that
         * starts before any such timer was recorded. Backs off for the application's own bean.
         */
        @Bean
        @ConditionalOnMissingBean
        BackfillHealthSignals flagwayBackfillHealthSignals(FlagwaySettings settings,
                                                           ObjectProvider<MeterRegistry> meterRegistries) {
            MeterRegistry registry = meterRegistries.getIfUnique();
            if (!settings.backfillLatencyEnabled() || registry == null) {
                return BackfillHealthSignals.none();
            }
            try {
                return BackfillHealthSignals.applicationLatency(registry, settings.backfillLatencyMeter());
            } catch (IllegalArgumentException stepBased) {
                LoggerFactory.getLogger(FlagwayAutoConfiguration.class).warn("Lifecycle backfills do not "
                        + "watch the application's latency: {} (or set flagway.backfill.latency.enabled=false)",
                        stepBased.getMessage());
                return BackfillHealthSignals.none();
            }
        }

        /** Where a tripped breaker disables the flag for the whole fleet. */
        @Bean
        @ConditionalOnMissingBean
        FlagStateStore flagwayFlagStateStore(FlagwayProvider provider) {
            return provider.flagStateStore();
        }
    }
}
