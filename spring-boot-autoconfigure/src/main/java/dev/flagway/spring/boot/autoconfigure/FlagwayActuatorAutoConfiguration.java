package dev.flagway.spring.boot.autoconfigure;

import dev.flagway.routing.Flagway;
import dev.flagway.lifecycle.MigrationLifecycles;
import dev.flagway.openfeature.FlagAdmin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Flagway in Spring Boot Actuator, when Actuator is on the class path: the {@code flagway} endpoint
 * (exposed like any endpoint, {@code management.endpoints.web.exposure.include=flagway}) and, opt-in with
 * {@code management.health.flagway.enabled=true}, a health indicator reporting an open breaker as its
 * own status rather than {@code DOWN}. Both back off when the application defines its own.
 */
@AutoConfiguration(after = FlagwayAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, HealthIndicator.class})
@ConditionalOnBean(Flagway.class)
public class FlagwayActuatorAutoConfiguration {

    /** Creates the auto-configuration (Spring does). */
    public FlagwayActuatorAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    FlagwayEndpoint flagwayEndpoint(Flagway flagway, ObjectProvider<FleetFlags> flags,
                                    ObjectProvider<MigrationLifecycles> lifecycles) {
        return new FlagwayEndpoint(flagway, flags.getIfUnique(), lifecycles.getIfUnique());
    }

    @Bean
    @ConditionalOnMissingBean(name = "flagwayHealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.flagway", name = "enabled", havingValue = "true")
    HealthIndicator flagwayHealthIndicator(Flagway flagway) {
        return new FlagwayHealthIndicator(flagway);
    }

    /** The flags of Flagway's own store, when its provider module is present and enabled. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(FlagAdmin.class)
    static class FlagStoreConfiguration {
        @Bean
        @ConditionalOnBean(FlagAdmin.class)
        FleetFlags flagwayFleetFlags(FlagAdmin admin) {
            return new FleetFlags(admin);
        }
    }
}
