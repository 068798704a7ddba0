package dev.flagway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetingKeyContextTest {

    @ParameterizedTest
    @ValueSource(strings = {"42", "user-7", "ü🙂", " "})
    void answersEveryQueryAsAnImmutableContextWithTheSameKey(String key) {
        EvaluationContext expected = new ImmutableContext(key);
        EvaluationContext context = new TargetingKeyContext(key);

        assertThat(context.getTargetingKey()).isEqualTo(expected.getTargetingKey());
        assertThat(context.isEmpty()).isEqualTo(expected.isEmpty());
        assertThat(context.keySet()).isEqualTo(expected.keySet());
        assertThat(context.getValue(EvaluationContext.TARGETING_KEY))
                .isEqualTo(expected.getValue(EvaluationContext.TARGETING_KEY));
        assertThat(context.getValue("email")).isNull();
        assertThat(context.asMap()).isEqualTo(expected.asMap());
        assertThat(context.asUnmodifiableMap()).isEqualTo(expected.asUnmodifiableMap());
        assertThat(context.asObjectMap()).isEqualTo(expected.asObjectMap());
        assertThat(context).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(expected).isEqualTo(context);
        assertThat(context).isNotEqualTo(new ImmutableContext(key + "x"));
    }

    @Test
    void mergesAsAnImmutableContextWithTheSameKey() {
        List<EvaluationContext> overriding = List.of(
                new ImmutableContext(),
                new ImmutableContext(Map.of("plan", new Value("gold"))),
                new ImmutableContext("other", Map.of("plan", new Value("gold"))),
                new MutableContext("other"));
        for (EvaluationContext other : overriding) {
            assertThat(new TargetingKeyContext("42").merge(other))
                    .as("merged with %s", other)
                    .isEqualTo(new ImmutableContext("42").merge(other));
        }
    }

    @Test
    void mapsHandedOutDoNotChangeTheContext() {
        EvaluationContext context = new TargetingKeyContext("42");

        context.asMap().put(EvaluationContext.TARGETING_KEY, new Value("43"));
        context.asObjectMap().clear();

        assertThat(context.getTargetingKey()).isEqualTo("42");
        assertThat(context.asUnmodifiableMap()).containsOnlyKeys(EvaluationContext.TARGETING_KEY);
    }

    @Test
    void providersSeeTheKeyTogetherWithTheApplicationsGlobalContext() {
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        String domain = "targeting-key-context-" + UUID.randomUUID();
        Flag<String> flag = Flag.<String>builder().variant("off", "off").defaultVariant("off")
                .contextEvaluator((f, ctx) -> "42".equals(ctx.getTargetingKey())
                        && "gold".equals(ctx.getValue("plan").asString()) ? "live" : "off")
                .build();
        api.setProviderAndWait(domain, new InMemoryProvider(Map.of("stage", flag)));
        EvaluationContext previous = api.getEvaluationContext();
        api.setEvaluationContext(new ImmutableContext(Map.of("plan", new Value("gold"))));
        try {
            assertThat(api.getClient(domain).getStringValue("stage", "off", new TargetingKeyContext("42"))).isEqualTo("live");
            assertThat(api.getClient(domain).getStringValue("stage", "off", new TargetingKeyContext("7"))).isEqualTo("off");
        } finally {
            api.setEvaluationContext(previous);
        }
    }
}
