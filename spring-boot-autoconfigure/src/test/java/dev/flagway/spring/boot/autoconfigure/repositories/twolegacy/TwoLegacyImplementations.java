package dev.flagway.spring.boot.autoconfigure.repositories.twolegacy;

import dev.flagway.spring.FlagwayRepository;
import dev.flagway.spring.Legacy;
import dev.flagway.spring.Modern;
import dev.flagway.spring.boot.autoconfigure.it.UserEmails;
import dev.flagway.spring.boot.autoconfigure.repositories.Stubs;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A repository with two implementations marked @Legacy. */
public final class TwoLegacyImplementations {
    private TwoLegacyImplementations() {
    }

    @FlagwayRepository(migration = "users-email")
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
        @Legacy
        Users olderUsers() {
            return Stubs.of(Users.class, "older");
        }

        @Bean
        @Modern
        Users modernUsers() {
            return Stubs.of(Users.class, "modern");
        }
    }
}
