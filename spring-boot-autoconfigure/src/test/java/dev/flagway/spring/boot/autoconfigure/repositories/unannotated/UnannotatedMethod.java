package dev.flagway.spring.boot.autoconfigure.repositories.unannotated;

import dev.flagway.spring.FlagwayRepository;
import dev.flagway.spring.Legacy;
import dev.flagway.spring.Modern;
import dev.flagway.spring.boot.autoconfigure.it.UserEmails;
import dev.flagway.spring.boot.autoconfigure.repositories.Stubs;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A repository with a method Flagway cannot route. */
public final class UnannotatedMethod {
    private UnannotatedMethod() {
    }

    @FlagwayRepository(migration = "users-email")
    public interface Users extends UserEmails {
        String name(long id);
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
