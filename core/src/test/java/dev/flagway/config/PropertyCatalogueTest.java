package dev.flagway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PropertyCatalogueTest {

    @Test
    void catalogueHoldsExactlyTheDocumentedKeys() {
        assertThat(PropertyCatalogue.fullKeys(List.of("users-email"))).containsExactly(
                "flagway.default-stage",
                "flagway.flag-error-log-interval",
                "flagway.shadow.threads",
                "flagway.shadow.queue-capacity",
                "flagway.pinned-keys.refresh-interval",
                "flagway.tables.create",
                "flagway.migrations.users-email.flag",
                "flagway.migrations.users-email.table",
                "flagway.migrations.users-email.key-column",
                "flagway.migrations.users-email.legacy-column",
                "flagway.migrations.users-email.new-column",
                "flagway.migrations.users-email.default-stage",
                "flagway.migrations.users-email.write-policy",
                "flagway.migrations.users-email.breaker.error-rate-threshold",
                "flagway.migrations.users-email.breaker.p95-latency-threshold",
                "flagway.migrations.users-email.breaker.p95-legacy-ratio-threshold",
                "flagway.migrations.users-email.breaker.mismatch-rate-threshold",
                "flagway.migrations.users-email.breaker.window",
                "flagway.migrations.users-email.breaker.minimum-calls",
                "flagway.migrations.users-email.breaker.wait-in-open",
                "flagway.migrations.users-email.breaker.half-open-calls",
                "flagway.migrations.users-email.shadow.sample-rate",
                "flagway.migrations.users-email.shadow.live-sample-rate",
                "flagway.migrations.users-email.shadow.timeout",
                "flagway.migrations.users-email.shadow.deterministic",
                "flagway.migrations.users-email.shadow.comparator");
    }

    @Test
    void migrationKeySplitsTheIdFromTheLongestMatchingName() {
        PropertyCatalogue.MigrationKey key = PropertyCatalogue.migration("billing.v2.shadow.timeout").orElseThrow();

        assertThat(key.id()).isEqualTo("billing.v2");
        assertThat(key.key().name()).isEqualTo("shadow.timeout");
        assertThat(PropertyCatalogue.migration("table")).isEmpty();
        assertThat(PropertyCatalogue.migration("users-email.timeout")).isEmpty();
    }
}
