package dev.flagway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                "flagway.rollout.tick",
                "flagway.fleet-health.interval",
                "flagway.tables.create",
                "flagway.backfill.latency.enabled",
                "flagway.backfill.latency.meter",
                "flagway.provider.enabled",
                "flagway.provider.table-prefix",
                "flagway.provider.refresh-interval",
                "flagway.provider.create-tables",
                "flagway.migrations.users-email.flag",
                "flagway.migrations.users-email.table",
                "flagway.migrations.users-email.key-column",
                "flagway.migrations.users-email.legacy-column",
                "flagway.migrations.users-email.new-column",
                "flagway.migrations.users-email.new-column-type",
                "flagway.migrations.users-email.new-column-index",
                "flagway.migrations.users-email.new-column-not-null",
                "flagway.migrations.users-email.transform-sql",
                "flagway.migrations.users-email.contract.business-cycle",
                "flagway.migrations.users-email.rollout.steps",
                "flagway.migrations.users-email.rollout.hold",
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
                "flagway.migrations.users-email.shadow.comparator",
                "flagway.migrations.users-email.backfill.max-rows-per-second",
                "flagway.migrations.users-email.backfill.max-batch-size",
                "flagway.migrations.users-email.backfill.initial-batch-size",
                "flagway.migrations.users-email.backfill.min-batch-size",
                "flagway.migrations.users-email.backfill.target-batch-duration",
                "flagway.migrations.users-email.backfill.throttle-pause",
                "flagway.migrations.users-email.backfill.health-check-interval",
                "flagway.migrations.users-email.backfill.runner-wait",
                "flagway.migrations.users-email.ddl.lock-timeout",
                "flagway.migrations.users-email.ddl.statement-timeout",
                "flagway.migrations.users-email.ddl.online-lock-timeout",
                "flagway.migrations.users-email.ddl.long-statement-timeout",
                "flagway.migrations.users-email.ddl.max-attempts",
                "flagway.migrations.users-email.ddl.initial-backoff",
                "flagway.migrations.users-email.ddl.max-backoff",
                "flagway.migrations.users-email.verify.parallelism",
                "flagway.migrations.users-email.verify.chunk-size",
                "flagway.migrations.users-email.verify.statement-timeout");
    }

    @Test
    void migrationKeySplitsTheIdFromTheLongestMatchingName() {
        PropertyCatalogue.MigrationKey key = PropertyCatalogue.migration("billing.v2.shadow.timeout").orElseThrow();

        assertThat(key.id()).isEqualTo("billing.v2");
        assertThat(key.key().name()).isEqualTo("shadow.timeout");
        assertThat(PropertyCatalogue.migration("table")).isEmpty();
        assertThat(PropertyCatalogue.migration("users-email.timeout")).isEmpty();
    }

    @Test
    void everyDocumentedDefaultIsWhatTheBuildersUseWhenTheKeyIsAbsent() {
        Map<String, String> required = new LinkedHashMap<>();
        FlagwayProperties.catalogue().stream().filter(PropertyDescription::required)
                .forEach(p -> required.put(p.key("m"), "c_" + p.name().replace('-', '_')));
        FlagwaySettings absent = FlagwayProperties.bind(required);

        List<PropertyDescription> withDefaults = FlagwayProperties.catalogue().stream()
                .filter(p -> p.defaultValue().isPresent()).toList();
        assertThat(withDefaults).hasSizeGreaterThan(15);
        for (PropertyDescription property : withDefaults) {
            Map<String, String> given = new LinkedHashMap<>(required);
            given.put(property.key("m"), property.defaultValue().orElseThrow());
            assertThat(FlagwayProperties.bind(given)).as(property.key()).isEqualTo(absent);
        }
    }

    @Test
    void everyPropertyIsDescribedAndSaysWhatItsAbsenceMeans() {
        assertThat(FlagwayProperties.catalogue()).hasSize(PropertyCatalogue.GLOBAL.size() + PropertyCatalogue.MIGRATION.size())
                .allSatisfy(p -> {
                    assertThat(p.description()).as(p.key()).endsWith(".").hasSizeGreaterThan(20);
                    int documentedAbsence = (p.required() ? 1 : 0) + (p.defaultValue().isPresent() ? 1 : 0)
                            + (p.whenAbsent().isPresent() ? 1 : 0);
                    assertThat(documentedAbsence).as(p.key() + ": required, default or when-absent").isOne();
                    p.defaultValue().ifPresent(d -> {
                        if (!p.values().isEmpty()) {
                            assertThat(p.values()).as(p.key()).contains(d);
                        }
                    });
                });
    }
}
