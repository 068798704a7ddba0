package dev.flagway.spring.boot.autoconfigure.repositories.bothqualifiers;

import dev.flagway.spring.FlagwayRepository;
import dev.flagway.spring.Legacy;
import dev.flagway.spring.Modern;
import dev.flagway.spring.boot.autoconfigure.it.UserEmails;
import dev.flagway.spring.boot.autoconfigure.repositories.Stubs;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A repository with an implementation marked both @Legacy and @Modern. */
public final class BothQualifiers {
    private BothQualifiers() {
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
        @Modern
        Users confusedUsers() {
            return Stubs.of(Users.class, "confused");
        }
    }
}
