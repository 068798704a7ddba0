package dev.flagway.bench.jmh;

import com.launchdarkly.sdk.EvaluationDetail;
import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.LDValue;
import com.launchdarkly.sdk.server.Components;
import com.launchdarkly.sdk.server.LDClient;
import com.launchdarkly.sdk.server.LDConfig;
import com.launchdarkly.sdk.server.integrations.TestData;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * LaunchDarkly's Java server SDK offline: its {@link TestData} source holds the flags, analytics
 * events and diagnostics are off, so nothing touches the network. {@link #provider()} is an
 * OpenFeature provider over the same client, as LaunchDarkly's own OpenFeature provider
 * ({@code launchdarkly-openfeature-serverprovider}, not in the Maven repository this build can
 * reach) would be: each evaluation builds an {@link LDContext} of the targeting key and asks
 * {@link LDClient#stringVariationDetail}. Flagway reads the same flags through it, so both sides of
 * item 8 pay for the same flag evaluation.
 */
public final class LaunchDarklyFlags implements AutoCloseable {
    private final TestData data = TestData.dataSource();
    private final LDClient client;

    /** A client whose flags are only those set here. */
    public LaunchDarklyFlags() {
        LDConfig config = new LDConfig.Builder()
                .dataSource(data)
                .events(Components.noEvents())
                .diagnosticOptOut(true)
                .logging(Components.noLogging())
                .build();
        client = new LDClient("sdk-key-not-used-offline", config);
    }

    /** Serves {@code value} (a migration stage as LaunchDarkly spells it, e.g. {@code dualwrite}) for {@code flag}. */
    public LaunchDarklyFlags set(String flag, String value) {
        data.update(data.flag(flag).valueForAll(LDValue.of(value)));
        return this;
    }

    /** The client. */
    public LDClient client() {
        return client;
    }

    /** An OpenFeature provider of this client's string flags. */
    public FeatureProvider provider() {
        return new Provider(client);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** String flags from LaunchDarkly; other types are not served (Flagway asks for strings only). */
    private record Provider(LDClient client) implements FeatureProvider {
        @Override
        public Metadata getMetadata() {
            return () -> "launchdarkly-offline";
        }

        @Override
        public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
            EvaluationDetail<String> detail = client.stringVariationDetail(key,
                    LDContext.create(ctx.getTargetingKey()), defaultValue);
            return ProviderEvaluation.<String>builder().value(detail.getValue())
                    .variant(Integer.toString(detail.getVariationIndex()))
                    .reason(detail.getReason().getKind().name()).build();
        }

        @Override
        public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
            return notServed(defaultValue);
        }

        @Override
        public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
            return notServed(defaultValue);
        }

        @Override
        public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
            return notServed(defaultValue);
        }

        @Override
        public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
            return notServed(defaultValue);
        }

        private static <T> ProviderEvaluation<T> notServed(T defaultValue) {
            return ProviderEvaluation.<T>builder().value(defaultValue).errorCode(ErrorCode.TYPE_MISMATCH)
                    .errorMessage("this benchmark serves string flags only").build();
        }
    }
}
