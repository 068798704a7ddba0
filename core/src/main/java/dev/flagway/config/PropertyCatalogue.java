package dev.flagway.config;

import static dev.flagway.config.PropertyKey.required;
import static dev.flagway.config.PropertyKey.withDefault;
import static dev.flagway.config.PropertyKey.withoutDefault;

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
    static final List<PropertyKey<SettingsDraft, ?>> GLOBAL = List.of(
            withDefault("default-stage", ValueType.STAGE, "off", "Stage used when a flag cannot be evaluated, for "
                    + "migrations that do not set their own `default-stage`: `off`, `dual_write`, `shadow`, `live`, "
                    + "`ramp_down` or `complete`.", (d, v) -> d.settings().defaultStage(v)),
            withDefault("flag-error-log-interval", ValueType.DURATION, "1m", "A flag evaluation problem is logged at "
                    + "most once per this interval per migration. Positive duration.",
                    (d, v) -> d.settings().flagErrorLogInterval(v)),
            withDefault("shadow.threads", ValueType.INTEGER, "2", "Threads running shadow reads off the callers' "
                    + "threads, shared by all migrations. 1 to 64.", (d, v) -> d.settings().shadowThreads(v)),
            withDefault("shadow.queue-capacity", ValueType.INTEGER, "1000", "Shadow reads that may wait for a thread; "
                    + "further ones are dropped and counted. 1 to 1,000,000.",
                    (d, v) -> d.settings().shadowQueueCapacity(v)),
            withDefault("pinned-keys.refresh-interval", ValueType.DURATION, "1s", "How often each instance re-reads "
                    + "the keys pinned to the legacy column (pending repairs and bad rows, written by any instance); "
                    + "another instance's failed write of a key reaches this one's reads at the latest this much later. "
                    + "10ms to 1m.", (d, v) -> d.settings().pinnedKeysRefreshInterval(v)),
            withDefault("rollout.tick", ValueType.DURATION, "5s", "How often each instance's rollout controller "
                    + "judges the running automatic rollouts (one instance of the fleet at a time, under the runner "
                    + "lock). 10ms to 1m.", (d, v) -> d.settings().rolloutTick(v)),
            withDefault("fleet-health.interval", ValueType.DURATION, "5s", "How often each instance publishes its "
                    + "per-minute health of every migration (calls, errors, fallbacks, mismatches, p95, breaker state) "
                    + "to the fleet health table the rollout controller and the status read. 10ms to 1m.",
                    (d, v) -> d.settings().fleetHealthInterval(v)),
            withDefault("tables.create", ValueType.BOOLEAN, "true", "Whether Flagway creates its missing bookkeeping "
                    + "tables; `false` for applications whose DDL goes through their own migration tool: a missing table "
                    + "then fails start-up, naming it (the DDL is `BookkeepingTables.script(dialect)`).",
                    (d, v) -> d.settings().createTables(v)),
            withDefault("backfill.latency.enabled", ValueType.BOOLEAN, "true", "Whether integrations that run the "
                    + "lifecycle in the application, such as the Spring Boot starter with a `MeterRegistry`, make each "
                    + "lifecycle backfill back off when the application's own requests slow down: a `LatencySignal` "
                    + "over the timers named `backfill.latency.meter`, throttling at 1.5× and pausing at 3× their "
                    + "mean over the 5 s before the first batch. No timer of that name when a backfill starts (no "
                    + "request served yet, a non-web application): no signal, no wait.",
                    (d, v) -> d.settings().backfillLatencyEnabled(v)),
            withDefault("backfill.latency.meter", ValueType.text("a Micrometer timer name, e.g. http.server.requests"),
                    "http.server.requests", "The Micrometer timers of the application's requests the backfill's "
                    + "latency signal watches, every tag set (URI, method, status) added up.", (d, v) -> d.settings().backfillLatencyMeter(v)),
            withDefault("provider.enabled", ValueType.BOOLEAN, "false", "Whether integrations such as the Spring Boot "
                    + "starter keep the migration flags in the application's own database, through Flagway's "
                    + "OpenFeature provider (module `flagway-openfeature-provider`), and use it as the fleet's flag "
                    + "store.", (d, v) -> d.provider().enabled(v)),
            withDefault("provider.table-prefix", ValueType.text("a table name prefix, e.g. flagway_"), "flagway_",
                    "Prefix of the provider's tables, `<prefix>flags` and `<prefix>flag_audit`. Plain SQL identifier.",
                    (d, v) -> d.provider().tablePrefix(v)),
            withDefault("provider.refresh-interval", ValueType.DURATION, "1s", "How often each instance reloads the "
                    + "flags from the database; a change made elsewhere is served within about one interval. 10ms "
                    + "to 1h.", (d, v) -> d.provider().refreshInterval(v)),
            withDefault("provider.create-tables", ValueType.BOOLEAN, "true", "Whether the provider creates its tables "
                    + "when they are missing; `false` when your schema migration tool owns them.",
                    (d, v) -> d.provider().createTables(v)));

    /** The settings of one migration, named relative to {@code flagway.migrations.<id>.}. */
    static final List<PropertyKey<MigrationDraft, ?>> MIGRATION = concat(List.of(
            withoutDefault("flag", ValueType.text("an OpenFeature flag key, e.g. users-email"), "the id",
                    "OpenFeature flag key whose string variant is the migration's stage.",
                    (d, v) -> d.migration().flag(v)),
            required("table", ValueType.text("a table name, table or schema.table"), "Table holding both columns: "
                    + "`table` or `schema.table`, plain SQL identifiers only.", (d, v) -> d.migration().table(v)),
            required("key-column", ValueType.text("a column name, e.g. id"), "Unique, ordered key column (the "
                    + "backfill walks it). Plain SQL identifier.", (d, v) -> d.migration().keyColumn(v)),
            required("legacy-column", ValueType.text("a column name, e.g. email"), "Column being replaced; the source "
                    + "of truth until `complete`. Plain SQL identifier.", (d, v) -> d.migration().legacyColumn(v)),
            required("new-column", ValueType.text("a column name, e.g. email_normalized"), "Column being introduced. "
                    + "Plain SQL identifier, different from the legacy and key columns.",
                    (d, v) -> d.migration().newColumn(v)),
            withoutDefault("new-column-type", ValueType.text("a SQL type, e.g. varchar(320)"), "none (expand steps "
                    + "given in code)", "SQL type of the new column, e.g. `varchar(320)` or `numeric(12,2)`: the "
                    + "lifecycle's expand adds the column with it (nullable), and undo-expand drops it.",
                    (d, v) -> d.migration().newColumnType(v)),
            withDefault("new-column-index", ValueType.BOOLEAN, "false", "Whether the expand derived from "
                    + "`new-column-type` also creates an index on the new column, `<table>_<new-column>_idx` (online: "
                    + "concurrently on PostgreSQL), dropped again by undo-expand.",
                    (d, v) -> d.migration().newColumnIndex(v)),
            withDefault("new-column-not-null", ValueType.BOOLEAN, "false", "Whether the lifecycle offers the NOT NULL "
                    + "step on the new column, `enforce-not-null`, legal after a passing verification up to "
                    + "`ramp_down`: on PostgreSQL a `CHECK (column IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT`, "
                    + "`SET NOT NULL`, then the check dropped; on MySQL and MariaDB the online `MODIFY` the DDL planner "
                    + "allows, refused when it would copy the table.", (d, v) -> d.migration().newColumnNotNull(v)),
            withoutDefault("transform-sql", ValueType.text("a SQL expression, e.g. lower(trim(email))"), "none (the "
                    + "Java transform, identity by default)", "The transform as a SQL expression over the legacy "
                    + "column, e.g. `lower(trim(email))`: the backfill, repairs and verification run it in the "
                    + "database. A Java transform given in code wins over it. One fragment, no `;` or comments.",
                    (d, v) -> d.migration().transformSql(v)),
            withDefault("contract.business-cycle", ValueType.DURATION, "7d", "How long the flag must have served "
                    + "modern reads to every key, with zero fallbacks during that period, before the contract gate "
                    + "lets the legacy column be dropped. Positive duration.",
                    (d, v) -> d.migration().businessCycle(v)),
            withDefault("rollout.steps", ValueType.PERCENTS, "1,10,50,100", "The automatic rollout's shares of keys "
                    + "reading modern (`live`), in percent: strictly increasing, each in (0, 100].",
                    (d, v) -> d.migration().rolloutSteps(v)),
            withDefault("rollout.hold", ValueType.DURATION, "10m", "How long each automatic rollout step must hold "
                    + "with the whole fleet healthy before the controller moves to the next. Positive duration.",
                    (d, v) -> d.migration().rolloutHold(v)),
            withoutDefault("default-stage", ValueType.STAGE, "`flagway.default-stage`", "Stage used when this "
                    + "migration's flag cannot be evaluated.", (d, v) -> d.migration().defaultStage(v)),
            withDefault("write-policy", ValueType.WRITE_POLICY, "repair", "What a failed modern write does: `repair` "
                    + "(legacy write commits, key recorded for repair) or `strict` (the whole write fails).",
                    (d, v) -> d.migration().writePolicy(v)),
            withDefault("breaker.error-rate-threshold", ValueType.RATIO, "0.01", "Share of failed modern calls in the "
                    + "window above which the breaker trips. Ratio in (0, 1].",
                    (d, v) -> d.breaker().errorRateThreshold(v)),
            withDefault("breaker.p95-latency-threshold", ValueType.DURATION, "250ms", "SLA: the breaker trips when the "
                    + "modern path's p95 latency in the window exceeds it. Positive duration.",
                    (d, v) -> d.breaker().p95LatencyThreshold(v)),
            withoutDefault("breaker.p95-legacy-ratio-threshold", ValueType.MULTIPLE, "none (not checked)", "Relative "
                    + "SLA: trip when the modern p95 exceeds this multiple of the legacy p95 in the same window. "
                    + "Number greater than 1, e.g. `2.0`.", (d, v) -> d.breaker().p95LegacyRatioThreshold(v)),
            withDefault("breaker.mismatch-rate-threshold", ValueType.RATIO, "0.01", "Share of shadow comparisons that "
                    + "mismatch above which the breaker trips. Ratio in (0, 1].",
                    (d, v) -> d.breaker().mismatchRateThreshold(v)),
            withDefault("breaker.window", ValueType.WHOLE_SECONDS, "10s", "Length of the sliding window. Whole "
                    + "seconds, 1s to 1h.", (d, v) -> d.breaker().window(v)),
            withDefault("breaker.minimum-calls", ValueType.INTEGER, "100", "Calls (or comparisons, for the mismatch "
                    + "rate) the window must hold before a rate is judged. At least 1.",
                    (d, v) -> d.breaker().minimumCalls(v)),
            withoutDefault("breaker.wait-in-open", ValueType.DURATION, "none (latched until reset)", "How long the "
                    + "breaker stays open before probing with half-open calls. Absent: open until an operator resets "
                    + "it. Positive duration.", (d, v) -> d.breaker().waitInOpen(v)),
            withDefault("breaker.half-open-calls", ValueType.INTEGER, "10", "Probe calls allowed in half-open; all must "
                    + "succeed to close again. At least 1.", (d, v) -> d.breaker().halfOpenCalls(v)),
            withDefault("shadow.sample-rate", ValueType.SHARE, "1.0", "Share of reads in `shadow` whose modern read is "
                    + "compared. Share in [0, 1].", (d, v) -> d.shadow().sampleRate(v)),
            withDefault("shadow.live-sample-rate", ValueType.SHARE, "0.01", "Share of reads in `live` and `ramp_down` "
                    + "whose legacy read is compared. Share in [0, 1].", (d, v) -> d.shadow().liveSampleRate(v)),
            withDefault("shadow.timeout", ValueType.DURATION, "1s", "How long a shadow read may take, from when it is "
                    + "handed to the shadow pool, before it is cancelled (its thread interrupted) and counted as a "
                    + "timeout — and, in `shadow`, as a modern failure. Deadlines are checked every tenth of the "
                    + "shortest timeout (1 ms to 100 ms), so one may end that much late. Positive duration.",
                    (d, v) -> d.shadow().timeout(v)),
            withDefault("shadow.deterministic", ValueType.BOOLEAN, "false", "Whether sampling is decided by the "
                    + "targeting key (the same keys are always sampled) instead of at random.",
                    (d, v) -> d.shadow().deterministic(v)),
            withDefault("shadow.comparator", ValueType.COMPARATOR, "equality", "How shadow results are compared: "
                    + "`equality` (`Objects.deepEquals`) or `canonical-bytes` (byte-for-byte canonical forms, catches "
                    + "truncation and coercion).", (d, v) -> d.shadow().comparator(v))),
            LifecycleOverrides.KEYS);

    /**
     * A property under {@code flagway.migrations.}, split into the migration id and the property.
     *
     * @param id the migration id as written in the key, not yet validated
     * @param key the property
     */
    record MigrationKey(String id, PropertyKey<MigrationDraft, ?> key) {
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    private PropertyCatalogue() {
    }

    /** The shared setting named {@code name} (relative to {@code flagway.}). */
    static Optional<PropertyKey<SettingsDraft, ?>> global(String name) {
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

    /** Every property described for tools: the shared ones, then one migration's. */
    static List<PropertyDescription> describe() {
        List<PropertyDescription> all = new ArrayList<>();
        GLOBAL.forEach(k -> all.add(k.describe(false)));
        MIGRATION.forEach(k -> all.add(k.describe(true)));
        return List.copyOf(all);
    }

    /** Every full key: the shared ones, then each migration's for each of {@code ids}. */
    static List<String> fullKeys(Collection<String> ids) {
        List<String> keys = new ArrayList<>();
        GLOBAL.forEach(k -> keys.add(PREFIX + k.name()));
        ids.forEach(id -> MIGRATION.forEach(k -> keys.add(migrationKey(id, k))));
        return keys;
    }
}
