package dev.flagway.spring.boot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code flagway.provider.enabled} is true, as Flagway's binder reads it (so that the
 * condition and the settings can never disagree on a value such as {@code yes}, which Flagway refuses).
 */
final class ProviderEnabledCondition extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        boolean enabled = FlagwayEnvironment.bind((ConfigurableEnvironment) context.getEnvironment(), false).provider().enabled();
        return enabled ? ConditionOutcome.match("flagway.provider.enabled is true")
                : ConditionOutcome.noMatch("flagway.provider.enabled is not true");
    }
}
