package dev.flagway.spring.boot.autoconfigure;

import dev.flagway.openfeature.FlagEvaluationMetricsHook;
import dev.flagway.openfeature.FlagwayProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;

/**
 * Flagway's provider registered with OpenFeature for the domain {@value #DOMAIN}, and the client of that
 * domain, which evaluates the migrations' flags. A domain of its own leaves the application's default
 * provider (and its other flags) alone; {@code OpenFeatureAPI.getInstance().getClient("flagway")} reads
 * the migration flags elsewhere in the application. On shutdown the domain is handed a no-op provider,
 * which shuts Flagway's down.
 */
final class OpenFeatureRegistration implements MigrationFlagClient, DisposableBean {
    /** The OpenFeature domain of Flagway's provider. */
    static final String DOMAIN = "flagway";

    private final FlagwayProvider provider;
    private final Client client;

    /**
     * Registers {@code provider} and waits for it to load the flags.
     *
     * @param meterRegistry where evaluations are counted, or null
     * @throws dev.openfeature.sdk.exceptions.OpenFeatureError when the flags cannot be loaded
     */
    OpenFeatureRegistration(FlagwayProvider provider, MeterRegistry meterRegistry) {
        this.provider = provider;
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        api.setProviderAndWait(DOMAIN, provider);
        this.client = api.getClient(DOMAIN);
        if (meterRegistry != null) {
            client.addHooks(new FlagEvaluationMetricsHook(meterRegistry));
        }
    }

    @Override
    public Client client() {
        return client;
    }

    @Override
    public void destroy() {
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        if (api.getProvider(DOMAIN) == provider) {
            api.setProvider(DOMAIN, new NoOpProvider());
        } else {
            provider.shutdown();
        }
    }
}
