package dev.flagway.config;

import static dev.flagway.config.PropertyKey.optional;
import static dev.flagway.config.PropertyKey.required;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every property Flagway binds, each with its value syntax and the builder setter it feeds: the one
 * place that knows the key set. Range checks stay in the builders.
 */
final class PropertyCatalogue {
    /** Where all Flagway properties live. */
    static final String PREFIX = "flagway.";
    /** Where the migrations live: {@code flagway.migrations.<id>.<name>}. */
    static final String MIGRATIONS = PREFIX + "migrations.";

    /** The settings shared by all migrations, named relative to {@link #PREFIX}. */
    static final List<PropertyKey<FlagwaySettings.Builder, ?>> GLOBAL = List.of(
            optional("default-stage", ValueType.STAGE, FlagwaySettings.Builder::defaultStage),
            optional("flag-error-log-interval", ValueType.DURATION, FlagwaySettings.Builder::flagErrorLogInterval),
            optional("shadow.threads", ValueType.INTEGER, FlagwaySettings.Builder::shadowThreads),
            optional("shadow.queue-capacity", ValueType.INTEGER, FlagwaySettings.Builder::shadowQueueCapacity),
            optional("pinned-keys.refresh-interval", ValueType.DURATION,
                    FlagwaySettings.Builder::pinnedKeysRefreshInterval),
            optional("tables.create", ValueType.BOOLEAN, FlagwaySettings.Builder::createTables));

    /** The settings of one migration, named relative to {@code flagway.migrations.<id>.}. */
    static final List<PropertyKey<MigrationDraft, ?>> MIGRATION = List.of(
            optional("flag", ValueType.text("an OpenFeature flag key, e.g. users-email"),
                    (d, v) -> d.migration().flag(v)),
            required("table", ValueType.text("a table name, table or schema.table"),
                    (d, v) -> d.migration().table(v)),
            required("key-column", ValueType.text("a column name, e.g. id"),
                    (d, v) -> d.migration().keyColumn(v)),
            required("legacy-column", ValueType.text("a column name, e.g. email"),
                    (d, v) -> d.migration().legacyColumn(v)),
            required("new-column", ValueType.text("a column name, e.g. email_normalized"),
                    (d, v) -> d.migration().newColumn(v)),
            optional("default-stage", ValueType.STAGE, (d, v) -> d.migration().defaultStage(v)),
            optional("write-policy", ValueType.WRITE_POLICY, (d, v) -> d.migration().writePolicy(v)),
            optional("breaker.error-rate-threshold", ValueType.RATIO, (d, v) -> d.breaker().errorRateThreshold(v)),
            optional("breaker.p95-latency-threshold", ValueType.DURATION, (d, v) -> d.breaker().p95LatencyThreshold(v)),
            optional("breaker.p95-legacy-ratio-threshold", ValueType.MULTIPLE,
                    (d, v) -> d.breaker().p95LegacyRatioThreshold(v)),
            optional("breaker.mismatch-rate-threshold", ValueType.RATIO, (d, v) -> d.breaker().mismatchRateThreshold(v)),
            optional("breaker.window", ValueType.WHOLE_SECONDS, (d, v) -> d.breaker().window(v)),
            optional("breaker.minimum-calls", ValueType.INTEGER, (d, v) -> d.breaker().minimumCalls(v)),
            optional("breaker.wait-in-open", ValueType.DURATION, (d, v) -> d.breaker().waitInOpen(v)),
            optional("breaker.half-open-calls", ValueType.INTEGER, (d, v) -> d.breaker().halfOpenCalls(v)),
            optional("shadow.sample-rate", ValueType.SHARE, (d, v) -> d.shadow().sampleRate(v)),
            optional("shadow.live-sample-rate", ValueType.SHARE, (d, v) -> d.shadow().liveSampleRate(v)),
            optional("shadow.timeout", ValueType.DURATION, (d, v) -> d.shadow().timeout(v)),
            optional("shadow.deterministic", ValueType.BOOLEAN, (d, v) -> d.shadow().deterministic(v)),
            optional("shadow.comparator", ValueType.COMPARATOR, (d, v) -> d.shadow().comparator(v)));

    /**
     * A property under {@code flagway.migrations.}, split into the migration id and the property.
     *
     * @param id the migration id as written in the key, not yet validated
     * @param key the property
     */
    record MigrationKey(String id, PropertyKey<MigrationDraft, ?> key) {
    }

    private PropertyCatalogue() {
    }

    /** The shared setting named {@code name} (relative to {@code flagway.}). */
    static Optional<PropertyKey<FlagwaySettings.Builder, ?>> global(String name) {
        return GLOBAL.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /**
     * Splits {@code <id>.<name>} (relative to {@code flagway.migrations.}). Ids may contain dots, so
     * the property is found at the end; the longest matching name wins.
     */
    static Optional<MigrationKey> migration(String idAndName) {
        return MIGRATION.stream()
                .filter(k -> idAndName.endsWith("." + k.name()))
                .max(Comparator.comparingInt(k -> k.name().length()))
                .map(k -> new MigrationKey(idAndName.substring(0, idAndName.length() - k.name().length() - 1), k));
    }

    /** The full key of a migration's property. */
    static String migrationKey(String id, PropertyKey<MigrationDraft, ?> key) {
        return MIGRATIONS + id + '.' + key.name();
    }

    /** Every full key: the shared ones, then each migration's for each of {@code ids}. */
    static List<String> fullKeys(Collection<String> ids) {
        List<String> keys = new ArrayList<>();
        GLOBAL.forEach(k -> keys.add(PREFIX + k.name()));
        ids.forEach(id -> MIGRATION.forEach(k -> keys.add(migrationKey(id, k))));
        return keys;
    }
}
