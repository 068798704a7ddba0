package dev.flagway.spring.boot.autoconfigure;

import dev.flagway.routing.Flagway;

/**
 * Customizes the {@link Flagway.Builder} before the auto-configured {@link Flagway} is built, e.g. to
 * give a migration its transform, which is code and cannot be a property:
 *
 * <pre>{@code
 * @Bean
 * FlagwayBuilderCustomizer usersEmailTransform(FlagwaySettings settings) {
 *     return builder -> builder.migration(settings.migration("users-email").orElseThrow().toBuilder()
 *             .transform(email -> email == null ? null : email.toString().trim().toLowerCase())
 *             .build());
 * }
 * }</pre>
 *
 * Customizers run in {@code @Order}; the starter then sets the fallback listener (every
 * {@link dev.flagway.FallbackListener} bean, the fallback journal among them), so a customizer cannot
 * take the contract gate's evidence away.
 */
@FunctionalInterface
public interface FlagwayBuilderCustomizer {
    /** Customizes {@code builder}. */
    void customize(Flagway.Builder builder);
}
