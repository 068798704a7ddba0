package dev.flagway.routing;

import dev.flagway.Stage;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.util.UUID;
import java.util.function.Function;

/** A test flag provider whose string flag answers per targeting key, on a domain of its own. */
class TestFlags implements FeatureProvider {
    private volatile Function<String, String> values = key -> "off";
    private final String domain = "test-" + UUID.randomUUID();

    /** Installs a new provider and waits until it is ready. */
    static TestFlags install() {
        TestFlags flags = new TestFlags();
        OpenFeatureAPI.getInstance().setProviderAndWait(flags.domain, flags);
        return flags;
    }

    Client client() {
        return OpenFeatureAPI.getInstance().getClient(domain);
    }

    /** Every key gets {@code stage}. */
    TestFlags stage(Stage stage) {
        values = key -> stage.flagValue();
        return this;
    }

    /** Each key gets what {@code byKey} says (null key: no targeting key). */
    TestFlags values(Function<String, String> byKey) {
        values = byKey;
        return this;
    }

    @Override
    public Metadata getMetadata() {
        return () -> "test-flags";
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        String value = values.apply(ctx == null ? null : ctx.getTargetingKey());
        return ProviderEvaluation.<String>builder().value(value).variant(value).reason(Reason.STATIC.name()).build();
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        throw new UnsupportedOperationException("string flags only");
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        throw new UnsupportedOperationException("string flags only");
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        throw new UnsupportedOperationException("string flags only");
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        throw new UnsupportedOperationException("string flags only");
    }
}
