package dev.flagway.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.Migration;
import dev.flagway.backfill.BackfillState;
import dev.flagway.backfill.LatencySignal;
import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.HealthSignal;
import dev.flagway.lifecycle.BackfillHealthSignals;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.lifecycle.MigrationLifecycles;
import dev.flagway.routing.Flagway;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The lifecycle's backfills watch the application's request latency by default: a
 * {@link LatencySignal} over the {@code http.server.requests} timers of the {@link MeterRegistry} bean,
 * made for each run; none without a registry, without such a timer, or with
 * {@code flagway.backfill.latency.enabled=false}; and the application's own
 * {@link BackfillHealthSignals} bean replaces it.
 */
class BackfillLatencyAutoConfigurationTest {
    private final String databaseUrl = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                    FlagwayAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=" + databaseUrl,
                    "flagway.migrations.users-email.table=users",
                    "flagway.migrations.users-email.key-column=id",
                    "flagway.migrations.users-email.legacy-column=email",
                    "flagway.migrations.users-email.new-column=email_normalized",
                    "flagway.migrations.users-email.new-column-type=varchar(200)",
                    "flagway.migrations.users-email.transform-sql=lower(email)",
                    "flagway.provider.enabled=true", "flagway.provider.refresh-interval=50ms");

    @Test
    void withTheApplicationsRequestTimersEachBackfillRunGetsAFreshLatencySignalOverThem() {
        runner.withUserConfiguration(Requests.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(BackfillHealthSignals.class);

            List<HealthSignal> first = signalsOfARun(context);
            List<HealthSignal> second = signalsOfARun(context);

            assertThat(first).singleElement().isInstanceOf(LatencySignal.class);
            assertThat(second).singleElement().isInstanceOf(LatencySignal.class).isNotSameAs(first.get(0));
        });
    }

    @Test
    void theMeterNameIsASetting() {
        runner.withUserConfiguration(Requests.class).withPropertyValues("flagway.backfill.latency.meter=checkout.requests")
                .run(context -> {
                    assertThat(signalsOfARun(context)).as("no checkout.requests timer yet").isEmpty();
                    context.getBean(MeterRegistry.class).timer("checkout.requests").record(Duration.ofMillis(3));
                    assertThat(signalsOfARun(context)).singleElement().isInstanceOf(LatencySignal.class);
                });
    }

    @Test
    void withoutARequestTimerWhenTheRunStartsThereIsNothingToProtectAndNoSignal() {
        runner.withUserConfiguration(FlagwayAutoConfigurationTest.Meters.class).run(context -> {
            assertThat(signalsOfARun(context)).isEmpty();
            context.getBean(MeterRegistry.class).timer("http.server.requests", "uri", "/users").record(Duration.ofMillis(2));
            assertThat(signalsOfARun(context)).as("a later run, once requests were served").hasSize(1);
        });
    }

    @Test
    void withoutAMeterRegistryOrWhenTurnedOffThereIsNoSignal() {
        runner.run(context -> assertThat(signalsOfARun(context)).isEmpty());
        runner.withUserConfiguration(Requests.class).withPropertyValues("flagway.backfill.latency.enabled=false")
                .run(context -> assertThat(signalsOfARun(context)).isEmpty());
    }

    @Test
    void theApplicationsOwnSignalsReplaceTheDefaultAndTheLifecyclesBackfillReadsThem() {
        JdbcTemplate jdbc = new JdbcTemplate(new SimpleDriverDataSource(new org.h2.Driver(), databaseUrl, "sa", ""));
        jdbc.execute("create table users (id bigint primary key, email varchar(200))");
        jdbc.update("insert into users values (1, 'A@Example.com'), (2, 'B@Example.com')");

        runner.withUserConfiguration(Requests.class, OwnSignals.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(BackfillHealthSignals.class);
            OwnSignals own = context.getBean(OwnSignals.class);
            assertThat(context.getBean(BackfillHealthSignals.class)).isSameAs(own.signals);

            MigrationLifecycle users = context.getBean(MigrationLifecycles.class).lifecycle("users-email");
            users.expand("alice", "CHG-1");
            users.startDualWrite("alice", "CHG-1");
            assertThat(users.backfill("alice", "CHG-1").state()).isEqualTo(BackfillState.COMPLETED);

            assertThat(own.runs).containsExactly("users-email");
            assertThat(own.reads).hasPositiveValue();
            assertThat(jdbc.queryForList("select email_normalized from users order by id", String.class))
                    .containsExactly("a@example.com", "b@example.com");
        });
    }

    private static List<HealthSignal> signalsOfARun(AssertableApplicationContext context) {
        Migration migration = context.getBean(Flagway.class).migration("users-email").migration();
        return context.getBean(BackfillHealthSignals.class).forRun(migration);
    }

    @Configuration(proxyBeanMethods = false)
    static class Requests {
        @Bean
        MeterRegistry meterRegistry() {
            MeterRegistry registry = new SimpleMeterRegistry();
            registry.timer("http.server.requests", "uri", "/users/{id}", "status", "200").record(Duration.ofMillis(2));
            return registry;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSignals {
        final List<String> runs = new CopyOnWriteArrayList<>();
        final AtomicInteger reads = new AtomicInteger();
        final BackfillHealthSignals signals = migration -> {
            runs.add(migration.id());
            return List.of(() -> {
                reads.incrementAndGet();
                return HealthReading.ok("own", "fine");
            });
        };

        @Bean
        BackfillHealthSignals ownBackfillSignals() {
            return signals;
        }
    }
}
