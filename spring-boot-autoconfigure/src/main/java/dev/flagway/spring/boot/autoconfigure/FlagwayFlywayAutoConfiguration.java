package dev.flagway.spring.boot.autoconfigure;

import dev.flagway.flyway.FlagwayCallback;
import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Flagway inside Boot's own Flyway, when {@code flagway-flyway} and Flyway are both present: Boot's
 * Flyway customisation adds the {@link FlagwayCallback} (lint of pending SQL migrations, lock timeout
 * and retries for them, the contract gate) and switches off Flyway's PostgreSQL transactional lock,
 * under which a concurrent index would hang. {@code FlagwayJavaMigration} beans reach Flyway the way
 * Boot passes every {@code JavaMigration} bean. Declare a {@link FlagwayCallback} bean of your own
 * for other DDL settings, lint mode or contract gates.
 */
@AutoConfiguration(before = FlywayAutoConfiguration.class)
@ConditionalOnClass({Flyway.class, FlagwayCallback.class})
@ConditionalOnProperty(prefix = "spring.flyway", name = "enabled", matchIfMissing = true)
public class FlagwayFlywayAutoConfiguration {
    /** Boot makes it. */
    public FlagwayFlywayAutoConfiguration() {
    }

    /** The callback with Flagway's defaults (lint fail, lock timeout 2 s, 10 attempts), unless the application has one. */
    @Bean
    @ConditionalOnMissingBean
    public FlagwayCallback flagwayFlywayCallback() {
        return FlagwayCallback.ofDefaults();
    }

    /** Adds the callback to Boot's Flyway and sets {@code postgresql.transactional.lock=false}. */
    @Bean
    public FlywayConfigurationCustomizer flagwayFlywayConfigurationCustomizer(FlagwayCallback flagway) {
        return flagway::configure;
    }
}
