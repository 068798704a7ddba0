package dev.flagway.spring.boot.autoconfigure.repositories.valid;

import dev.flagway.spring.FlagwayRepository;
import dev.flagway.spring.Legacy;
import dev.flagway.spring.Modern;
import dev.flagway.spring.boot.autoconfigure.it.UserEmails;
import dev.flagway.spring.boot.autoconfigure.repositories.Stubs;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** An application with one well-formed Flagway repository and a service using it. */
public final class ValidRepository {
    private ValidRepository() {
    }

    @FlagwayRepository(migration = "users-email")
    public interface Users extends UserEmails {
    }

    /** Application code: injects the interface, and the legacy implementation by its qualifier. */
    public record UserService(Users users, @Legacy Users legacyUsers) {
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

        @Bean
        UserService userService(Users users, @Legacy Users legacyUsers) {
            return new UserService(users, legacyUsers);
        }
    }
}
