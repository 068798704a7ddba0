package dev.flagway.internal;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An immutable evaluation context that holds only a targeting key: what
 * {@code new ImmutableContext(targetingKey)} holds, without its map, structure and value objects,
 * which made up most of a flag evaluation's allocation. It answers every query exactly as that
 * context would (the key is also the {@value EvaluationContext#TARGETING_KEY} attribute), so
 * providers and hooks cannot tell the two apart, and may keep a reference to it.
 */
public final class TargetingKeyContext implements EvaluationContext {
    private static final Set<String> KEYS = Set.of(TARGETING_KEY);

    private final String targetingKey;

    /** A context whose targeting key is {@code targetingKey}. */
    public TargetingKeyContext(String targetingKey) {
        this.targetingKey = targetingKey;
    }

    @Override
    public String getTargetingKey() {
        return targetingKey;
    }

    @Override
    public EvaluationContext merge(EvaluationContext overridingContext) {
        return new ImmutableContext(targetingKey).merge(overridingContext);
    }

    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public Set<String> keySet() {
        return KEYS;
    }

    @Override
    public Value getValue(String key) {
        return TARGETING_KEY.equals(key) ? new Value(targetingKey) : null;
    }

    @Override
    public Map<String, Value> asMap() {
        Map<String, Value> map = new HashMap<>(2);
        map.put(TARGETING_KEY, new Value(targetingKey));
        return map;
    }

    @Override
    public Map<String, Value> asUnmodifiableMap() {
        return Map.of(TARGETING_KEY, new Value(targetingKey));
    }

    @Override
    public Map<String, Object> asObjectMap() {
        Map<String, Object> map = new HashMap<>(2);
        map.put(TARGETING_KEY, targetingKey);
        return map;
    }

    @Override
    public boolean equals(Object other) {
        return isEqualTo(other);
    }

    @Override
    public int hashCode() {
        return asUnmodifiableMap().hashCode();
    }

    @Override
    public String toString() {
        return "TargetingKeyContext(targetingKey=" + targetingKey + ")";
    }
}
