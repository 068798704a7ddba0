package dev.flagway.examples.boot;

import dev.flagway.config.FlagwaySettings;
import dev.flagway.spring.boot.autoconfigure.FlagwayBuilderCustomizer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A user directory whose {@code users.email} moves to {@code users.email_normalized} without downtime. */
@SpringBootApplication
public class UsersApplication {
    public static void main(String[] args) {
        SpringApplication.run(UsersApplication.class, args);
    }

    /** The migration's transform, which is code: how an address as typed becomes the normalized one. */
    @Bean
    FlagwayBuilderCustomizer usersEmailTransform(FlagwaySettings settings) {
        return flagway -> flagway.migration(settings.migration("users-email").orElseThrow().toBuilder()
                .transform(email -> Emails.normalize((String) email))
                .build());
    }
}
