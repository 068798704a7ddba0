package dev.flagway.spring.boot.autoconfigure.repositories.nomodern;

import dev.flagway.spring.FlagwayRepository;
import dev.flagway.spring.Legacy;
import dev.flagway.spring.boot.autoconfigure.it.UserEmails;
import dev.flagway.spring.boot.autoconfigure.repositories.Stubs;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A repository whose new-column implementation was not marked @Modern. */
public final class NoModernImplementation {
    private NoModernImplementation() {
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
        Users newUsers() {
            return Stubs.of(Users.class, "new");
        }
    }
}
