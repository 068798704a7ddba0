package dev.flagway.spring.boot.autoconfigure.repositories.unknownmigration;

import dev.flagway.spring.FlagwayRepository;
import dev.flagway.spring.Legacy;
import dev.flagway.spring.Modern;
import dev.flagway.spring.boot.autoconfigure.it.UserEmails;
import dev.flagway.spring.boot.autoconfigure.repositories.Stubs;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A repository for a migration that is not configured. */
public final class UnknownMigration {
    private UnknownMigration() {
    }

    @FlagwayRepository(migration = "users-phone")
    public interface Users extends UserEmails {
    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage
    public static class Config {
        @Bean
        @Legacy
        Users legacyUsers() {
            return Stubs.of(Users.class, "legacy");
        }

        @Bean
        @Modern
        Users modernUsers() {
            return Stubs.of(Users.class, "modern");
        }
    }
}
