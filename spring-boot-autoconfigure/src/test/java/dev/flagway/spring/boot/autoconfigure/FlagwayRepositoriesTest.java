package dev.flagway.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.spring.boot.autoconfigure.repositories.Stubs;
import dev.flagway.spring.boot.autoconfigure.repositories.bothqualifiers.BothQualifiers;
import dev.flagway.spring.boot.autoconfigure.repositories.nomodern.NoModernImplementation;
import dev.flagway.spring.boot.autoconfigure.repositories.twolegacy.TwoLegacyImplementations;
import dev.flagway.spring.boot.autoconfigure.repositories.unannotated.UnannotatedMethod;
import dev.flagway.spring.boot.autoconfigure.repositories.unknownmigration.UnknownMigration;
import dev.flagway.spring.boot.autoconfigure.repositories.valid.ValidRepository;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code @FlagwayRepository} interfaces become the primary, routing bean of their type; every way of
 * getting one wrong fails start-up with one message that names the bean and the fix.
 */
class FlagwayRepositoriesTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, FlagwayAutoConfiguration.class))
            .withUserConfiguration(LiveFlag.class)
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "flagway.migrations.users-email.table=users",
                    "flagway.migrations.users-email.key-column=id",
                    "flagway.migrations.users-email.legacy-column=email",
                    "flagway.migrations.users-email.new-column=email_normalized");

    @Test
    void theInterfaceIsInjectedAsTheRoutingProxyAndTheQualifiersInjectTheImplementations() {
        runner.withUserConfiguration(ValidRepository.Config.class).run(context -> {
            ValidRepository.UserService service = context.getBean(ValidRepository.UserService.class);
            assertThat(service.users()).hasToString("DualWriteRepository[" + ValidRepository.Users.class.getName()
                    + ", migration=users-email]");
            assertThat(service.legacyUsers()).hasToString("legacy");
            assertThat(context.getBean(ValidRepository.Users.class)).isSameAs(service.users());
            assertThat(context).getBean("users").isSameAs(service.users());

            Stubs.CALLS.clear();
            assertThat(service.users().email(7)).as("live: the new column").isEqualTo("modern:7");
            service.users().updateEmail(7, "a@example.com");
            assertThat(Stubs.CALLS).containsExactly("modern.email(7)", "legacy.updateEmail(7)", "modern.updateEmail(7)");
        });
    }

    @Test
    void twoLegacyImplementations() {
        runner.withUserConfiguration(TwoLegacyImplementations.Config.class).run(context -> {
            FailureAnalysis analysis = FlagwayAutoConfigurationTest.analysis(context);
            assertThat(analysis.getDescription()).isEqualTo("Flagway repository 'users' ("
                    + TwoLegacyImplementations.Users.class.getName() + ", migration 'users-email'): 2 beans implementing"
                    + " Users are marked @Legacy: [legacyUsers, olderUsers].");
            assertThat(analysis.getAction()).isEqualTo("Mark exactly one bean implementing Users with @Legacy (on its"
                    + " class or its @Bean method): the one that reads and writes the legacy column.");
        });
    }

    @Test
    void noImplementationMarkedModern() {
        runner.withUserConfiguration(NoModernImplementation.Config.class).run(context -> {
            FailureAnalysis analysis = FlagwayAutoConfigurationTest.analysis(context);
            assertThat(analysis.getDescription()).endsWith("no bean implementing Users is marked @Modern;"
                    + " unmarked implementations: [newUsers].");
            assertThat(analysis.getAction()).startsWith("Mark exactly one bean implementing Users with @Modern")
                    .endsWith("the one that reads and writes the new column.");
        });
    }

    @Test
    void anImplementationMarkedBothLegacyAndModern() {
        runner.withUserConfiguration(BothQualifiers.Config.class).run(context ->
                assertThat(FlagwayAutoConfigurationTest.analysis(context).getDescription())
                        .endsWith("bean 'confusedUsers' is marked both @Legacy and @Modern."));
    }

    @Test
    void aMethodWithoutARoutingAnnotation() {
        runner.withUserConfiguration(UnannotatedMethod.Config.class).run(context -> {
            FailureAnalysis analysis = FlagwayAutoConfigurationTest.analysis(context);
            assertThat(analysis.getDescription()).startsWith("Flagway repository 'users' (")
                    .contains("name(long) has neither @DualWrite nor @FlagRouted");
            assertThat(analysis.getAction()).startsWith("Annotate every abstract method of "
                    + UnannotatedMethod.Users.class.getName() + " with @FlagRouted (reads) or @DualWrite (writes)");
        });
    }

    @Test
    void aMigrationThatIsNotConfigured() {
        runner.withUserConfiguration(UnknownMigration.Config.class).run(context -> {
            FailureAnalysis analysis = FlagwayAutoConfigurationTest.analysis(context);
            assertThat(analysis.getDescription()).endsWith("its migration 'users-phone' is not configured ([users-email] are).");
            assertThat(analysis.getAction()).contains("flagway.migrations.users-phone.table");
        });
    }

    @Test
    void aBeanAlreadyNamedLikeTheRoutingBean() {
        runner.withUserConfiguration(ValidRepository.Config.class, NameClash.class).run(context ->
                assertThat(FlagwayAutoConfigurationTest.analysis(context).getDescription())
                        .contains("cannot register the routing bean 'users'", "already defines a bean of that name"));
    }

    @Configuration(proxyBeanMethods = false)
    static class LiveFlag {
        @Bean
        Client client() {
            Flag<String> live = Flag.<String>builder().variant("live", "live").defaultVariant("live").build();
            String domain = "test-" + UUID.randomUUID();
            OpenFeatureAPI.getInstance().setProviderAndWait(domain, new InMemoryProvider(Map.of("users-email", live)));
            return OpenFeatureAPI.getInstance().getClient(domain);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NameClash {
        @Bean
        String users() {
            return "not a repository";
        }
    }
}
