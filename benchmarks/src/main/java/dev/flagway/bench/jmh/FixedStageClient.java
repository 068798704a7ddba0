package dev.flagway.bench.jmh;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ClientMetadata;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.FlagEvaluationOptions;
import dev.openfeature.sdk.Hook;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.TrackingEventDetails;
import dev.openfeature.sdk.Value;
import java.util.List;
import java.util.function.Consumer;

/**
 * An OpenFeature {@link Client} that answers every string evaluation with one precomputed result
 * and does nothing else: handed to Flagway, it leaves only Flagway's own work to measure (the
 * {@code isolated*} routing benchmarks). Everything but string evaluation is unsupported.
 */
public final class FixedStageClient implements Client {
    private final FlagEvaluationDetails<String> details;

    /** A client whose every string flag answers {@code value}. */
    public FixedStageClient(String flagKey, String value) {
        this.details = FlagEvaluationDetails.<String>builder().flagKey(flagKey).value(value).variant(value)
                .reason(Reason.STATIC.name()).build();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("FixedStageClient answers string evaluations only");
    }

    @Override
    public Client on(ProviderEvent event, Consumer<EventDetails> handler) {
        throw unsupported();
    }

    @Override
    public Client onProviderConfigurationChanged(Consumer<EventDetails> handler) {
        throw unsupported();
    }

    @Override
    public Client onProviderError(Consumer<EventDetails> handler) {
        throw unsupported();
    }

    @Override
    public Client onProviderReady(Consumer<EventDetails> handler) {
        throw unsupported();
    }

    @Override
    public Client onProviderStale(Consumer<EventDetails> handler) {
        throw unsupported();
    }

    @Override
    public Client removeHandler(ProviderEvent event, Consumer<EventDetails> handler) {
        throw unsupported();
    }

    @Override
    @SuppressWarnings("rawtypes") // the SDK's Client declares Hook...
    public Client addHooks(Hook... hooks) {
        throw unsupported();
    }

    @Override
    public Client setEvaluationContext(EvaluationContext ctx) {
        throw unsupported();
    }

    @Override
    public ClientMetadata getMetadata() {
        return () -> "fixed-stage";
    }

    @Override
    public EvaluationContext getEvaluationContext() {
        return ImmutableContext.EMPTY;
    }

    @Override
    public FlagEvaluationDetails<Value> getObjectDetails(String key, Value defaultValue) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Value> getObjectDetails(String key, Value defaultValue, EvaluationContext ctx) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Value> getObjectDetails(String key, Value defaultValue, EvaluationContext ctx, FlagEvaluationOptions options) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Boolean> getBooleanDetails(String key, Boolean defaultValue) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Boolean> getBooleanDetails(String key, Boolean defaultValue, EvaluationContext ctx) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Boolean> getBooleanDetails(String key, Boolean defaultValue, EvaluationContext ctx, FlagEvaluationOptions options) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Double> getDoubleDetails(String key, Double defaultValue) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Double> getDoubleDetails(String key, Double defaultValue, EvaluationContext ctx) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Double> getDoubleDetails(String key, Double defaultValue, EvaluationContext ctx, FlagEvaluationOptions options) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Integer> getIntegerDetails(String key, Integer defaultValue) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Integer> getIntegerDetails(String key, Integer defaultValue, EvaluationContext ctx) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Integer> getIntegerDetails(String key, Integer defaultValue, EvaluationContext ctx, FlagEvaluationOptions options) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Long> getLongDetails(String key, Long defaultValue) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Long> getLongDetails(String key, Long defaultValue, EvaluationContext ctx) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<Long> getLongDetails(String key, Long defaultValue, EvaluationContext ctx, FlagEvaluationOptions options) {
        throw unsupported();
    }

    @Override
    public FlagEvaluationDetails<String> getStringDetails(String key, String defaultValue) {
        return details;
    }

    @Override
    public FlagEvaluationDetails<String> getStringDetails(String key, String defaultValue, EvaluationContext ctx) {
        return details;
    }

    @Override
    public FlagEvaluationDetails<String> getStringDetails(String key, String defaultValue, EvaluationContext ctx, FlagEvaluationOptions options) {
        return details;
    }

    @Override
    public ProviderState getProviderState() {
        return ProviderState.READY;
    }

    @Override
    public Value getObjectValue(String key, Value defaultValue) {
        throw unsupported();
    }

    @Override
    public Value getObjectValue(String key, Value defaultValue, EvaluationContext ctx) {
        throw unsupported();
    }

    @Override
    public Value getObjectValue(String key, Value defaultValue, EvaluationContext ctx, FlagEvaluationOptions options) {
        throw unsupported();
    }

    @Override
    public Boolean getBooleanValue(String key, Boolean defaultValue) {
        throw unsupported();
    }

    @Override
    public Boolean getBooleanValue(String key, Boolean defaultValue, EvaluationContext ctx) {
        throw unsupported();
    }

    @Override
    public Boolean getBooleanValue(String key, Boolean defaultValue, EvaluationContext ctx, FlagEvaluationOptions options) {
        throw unsupported();
    }

    @Override
    public Double getDoubleValue(String key, Double defaultValue) {
        throw unsupported();
    }

    @Override
    public Double getDoubleValue(String key, Double defaultValue, EvaluationContext ctx) {
        throw unsupported();
    }

    @Override
    public Double getDoubleValue(String key, Double defaultValue, EvaluationContext ctx, FlagEvaluationOptions options) {
        throw unsupported();
    }

    @Override
    public Integer getIntegerValue(String key, Integer defaultValue) {
        throw unsupported();
    }

    @Override
    public Integer getIntegerValue(String key, Integer defaultValue, EvaluationContext ctx) {
        throw unsupported();
    }

    @Override
    public Integer getIntegerValue(String key, Integer defaultValue, EvaluationContext ctx, FlagEvaluationOptions options) {
        throw unsupported();
    }

    @Override
    public Long getLongValue(String key, Long defaultValue) {
        throw unsupported();
    }

    @Override
    public Long getLongValue(String key, Long defaultValue, EvaluationContext ctx) {
        throw unsupported();
    }

    @Override
    public Long getLongValue(String key, Long defaultValue, EvaluationContext ctx, FlagEvaluationOptions options) {
        throw unsupported();
    }

    @Override
    public String getStringValue(String key, String defaultValue) {
        throw unsupported();
    }

    @Override
    public String getStringValue(String key, String defaultValue, EvaluationContext ctx) {
        throw unsupported();
    }

    @Override
    public String getStringValue(String key, String defaultValue, EvaluationContext ctx, FlagEvaluationOptions options) {
        throw unsupported();
    }

    @Override
    @SuppressWarnings("rawtypes") // the SDK's Client declares List<Hook>
    public List<Hook> getHooks() {
        return List.of();
    }

    @Override
    public void track(String eventName) {
        throw unsupported();
    }

    @Override
    public void track(String eventName, EvaluationContext arg1) {
        throw unsupported();
    }

    @Override
    public void track(String eventName, EvaluationContext arg1, TrackingEventDetails arg2) {
        throw unsupported();
    }

    @Override
    public void track(String eventName, TrackingEventDetails arg1) {
        throw unsupported();
    }
}
