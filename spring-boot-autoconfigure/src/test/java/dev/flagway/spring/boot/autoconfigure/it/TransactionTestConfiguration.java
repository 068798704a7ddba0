package dev.flagway.spring.boot.autoconfigure.it;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * What every transaction test application has besides its repositories and {@link TestTables}: the
 * callers, and its own OpenFeature client serving both test migrations at {@code dual_write} (a domain
 * of its own, so that test contexts sharing the JVM do not share flags).
 */
@Configuration(proxyBeanMethods = false)
@Import({Caller.class, TransactionIds.class})
public class TransactionTestConfiguration {
    @Bean
    Client openFeatureClient() {
        Flag<String> dualWrite = Flag.<String>builder().variant("dual_write", "dual_write").defaultVariant("dual_write").build();
        String domain = "test-" + UUID.randomUUID();
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        api.setProviderAndWait(domain, new InMemoryProvider(Map.of("users-email", dualWrite, "strict-email", dualWrite)));
        return api.getClient(domain);
    }
}
