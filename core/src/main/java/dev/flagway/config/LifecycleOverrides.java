package dev.flagway.config;

import static dev.flagway.config.PropertyKey.withoutDefault;

import dev.flagway.Migration;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.schema.DdlSettings;
import dev.flagway.verify.VerifySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A migration's own {@code flagway.migrations.<id>.backfill.*}, {@code .ddl.*} and {@code .verify.*} settings: the
 * property keys (part of the one catalogue, checked at binding with the key named) and their
 * application over the lifecycle factory's settings.
 */
public final class LifecycleOverrides {
    private static final String ABSENT = "the lifecycle factory's setting";
    private static final String BACKFILL = "backfill.";
    private static final String DDL = "ddl.";
    private static final String VERIFY = "verify.";

    private static final List<PropertyKey<BackfillSettings.Builder, ?>> BACKFILL_KEYS = List.of(
            withoutDefault("max-rows-per-second", ValueType.INTEGER, ABSENT, "This migration's backfill rate cap, "
                    + "rows per second; 0 for none.", BackfillSettings.Builder::maxRowsPerSecond),
            withoutDefault("max-batch-size", ValueType.INTEGER, ABSENT, "Largest batch this migration's adaptive "
                    + "backfill may reach. At least 1.", BackfillSettings.Builder::maxBatchSize),
            withoutDefault("initial-batch-size", ValueType.INTEGER, ABSENT, "First batch size of this migration's "
                    + "backfill, between the minimum and the maximum.", BackfillSettings.Builder::initialBatchSize),
            withoutDefault("min-batch-size", ValueType.INTEGER, ABSENT, "Smallest batch this migration's adaptive "
                    + "backfill may shrink to. At least 1.", BackfillSettings.Builder::minBatchSize),
            withoutDefault("target-batch-duration", ValueType.DURATION, ABSENT, "Batch duration this migration's "
                    + "backfill aims at. Positive duration.", BackfillSettings.Builder::targetBatchDuration),
            withoutDefault("throttle-pause", ValueType.DURATION, ABSENT, "How long this migration's backfill pauses "
                    + "when a health signal says the database is strained. Positive duration.",
                    BackfillSettings.Builder::throttlePause),
            withoutDefault("health-check-interval", ValueType.DURATION, ABSENT, "How often this migration's backfill "
                    + "reads its health signals. Positive duration.", BackfillSettings.Builder::healthCheckInterval),
            withoutDefault("runner-wait", ValueType.DURATION, ABSENT, "How long this migration's backfill waits for "
                    + "another runner of it to finish before giving up. Zero or positive duration.",
                    BackfillSettings.Builder::runnerWait));

    private static final List<PropertyKey<DdlSettings.Builder, ?>> DDL_KEYS = List.of(
            withoutDefault("lock-timeout", ValueType.DURATION, ABSENT, "Lock wait of this migration's quick and "
                    + "validating DDL statements. Positive duration.", DdlSettings.Builder::lockTimeout),
            withoutDefault("statement-timeout", ValueType.DURATION, ABSENT, "Run time limit of this migration's quick "
                    + "DDL statements. Positive duration.", DdlSettings.Builder::statementTimeout),
            withoutDefault("online-lock-timeout", ValueType.DURATION, ABSENT, "Lock wait of this migration's online "
                    + "DDL (concurrent index builds, online ALTERs). Positive duration.",
                    DdlSettings.Builder::onlineLockTimeout),
            withoutDefault("long-statement-timeout", ValueType.DURATION, ABSENT, "Run time limit of this migration's "
                    + "long DDL (index builds, validations). Positive duration.",
                    DdlSettings.Builder::longStatementTimeout),
            withoutDefault("max-attempts", ValueType.INTEGER, ABSENT, "Attempts of each of this migration's DDL "
                    + "statements that meets a lock timeout. At least 1.", DdlSettings.Builder::maxAttempts),
            withoutDefault("initial-backoff", ValueType.DURATION, ABSENT, "First backoff between those attempts. "
                    + "Positive duration.", DdlSettings.Builder::initialBackoff),
            withoutDefault("max-backoff", ValueType.DURATION, ABSENT, "Largest backoff between those attempts. "
                    + "Positive duration.", DdlSettings.Builder::maxBackoff));

    private static final List<PropertyKey<VerifySettings.Builder, ?>> VERIFY_KEYS = List.of(
            withoutDefault("parallelism", ValueType.INTEGER, ABSENT, "How many chunks this migration's verification "
                    + "checks at once, each on its own connection: 1 keeps a second server process away from the "
                    + "application's requests, at about half the speed. At least 1.", VerifySettings.Builder::parallelism),
            withoutDefault("chunk-size", ValueType.INTEGER, ABSENT, "Keys per chunk query of this migration's "
                    + "verification. At least 1.", VerifySettings.Builder::chunkSize),
            withoutDefault("statement-timeout", ValueType.DURATION, ABSENT, "The longest one chunk query of this "
                    + "migration's verification may run. Positive duration.", VerifySettings.Builder::statementTimeout));

    /** The per-migration keys, as the catalogue lists them. */
    static final List<PropertyKey<MigrationDraft, ?>> KEYS = keys();

    private LifecycleOverrides() {
    }

    /**
     * The backfill settings of {@code migration}'s lifecycle: {@code global} with the migration's
     * {@code backfill.*} settings applied (a {@code max-batch-size} below the factory's first batch
     * caps that too, unless {@code initial-batch-size} is given).
     *
     * @throws IllegalArgumentException naming the migration's keys when they do not fit together
     */
    public static BackfillSettings backfill(BackfillSettings global, Migration migration) {
        BackfillSettings.Builder b = global.toBuilder();
        Map<String, Object> own = migration.lifecycleSettings();
        if (own.get(BACKFILL + "max-batch-size") instanceof Integer max && !own.containsKey(BACKFILL + "initial-batch-size")) {
            b.initialBatchSize(Math.min(global.initialBatchSize(), max)); // a lower maximum caps the first batch too
        }
        return build(migration, BACKFILL, BACKFILL_KEYS, b, b::build);
    }

    /**
     * The DDL settings of {@code migration}'s lifecycle: {@code global} with the migration's
     * {@code ddl.*} settings applied.
     *
     * @throws IllegalArgumentException naming the migration's keys when they do not fit together
     */
    public static DdlSettings ddl(DdlSettings global, Migration migration) {
        DdlSettings.Builder b = global.toBuilder();
        return build(migration, DDL, DDL_KEYS, b, b::build);
    }

    /**
     * The verification settings of {@code migration}'s lifecycle: {@code global} with the migration's
     * {@code verify.*} settings applied.
     *
     * @throws IllegalArgumentException naming the migration's keys when they do not fit
     */
    public static VerifySettings verify(VerifySettings global, Migration migration) {
        VerifySettings.Builder b = global.toBuilder();
        return build(migration, VERIFY, VERIFY_KEYS, b, b::build);
    }

    private static <B, S> S build(Migration migration, String prefix, List<PropertyKey<B, ?>> keys, B builder,
                                  Supplier<S> build) {
        List<String> applied = new ArrayList<>();
        for (Map.Entry<String, Object> e : migration.lifecycleSettings().entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            String full = PropertyCatalogue.MIGRATIONS + migration.id() + "." + e.getKey();
            PropertyKey<B, ?> key = keys.stream().filter(k -> (prefix + k.name()).equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(full + " is not a setting; the " + prefix + "* "
                            + "settings are " + keys.stream().map(k -> prefix + k.name()).toList()));
            try {
                apply(key, builder, e.getValue());
            } catch (IllegalArgumentException | ClassCastException rejected) {
                throw new IllegalArgumentException(full + " = " + e.getValue() + ": " + rejected.getMessage(), rejected);
            }
            applied.add(full);
        }
        try {
            return build.get();
        } catch (IllegalArgumentException | IllegalStateException rejected) {
            throw new IllegalArgumentException("the " + prefix + "* settings of migration '" + migration.id() + "' "
                    + applied + " do not fit the factory's: " + rejected.getMessage(), rejected);
        }
    }

    @SuppressWarnings("unchecked")
    private static <B, T> void apply(PropertyKey<B, T> key, B builder, Object value) {
        key.setter().accept(builder, (T) value);
    }

    private static List<PropertyKey<MigrationDraft, ?>> keys() {
        List<PropertyKey<MigrationDraft, ?>> all = new ArrayList<>();
        BACKFILL_KEYS.forEach(k -> all.add(perMigration(BACKFILL, k, BackfillSettings::custom)));
        DDL_KEYS.forEach(k -> all.add(perMigration(DDL, k, DdlSettings::custom)));
        VERIFY_KEYS.forEach(k -> all.add(perMigration(VERIFY, k, VerifySettings::custom)));
        return List.copyOf(all);
    }

    /** The catalogue key: the value is checked on a scratch builder (the binder names the key), then kept. */
    private static <B, T> PropertyKey<MigrationDraft, T> perMigration(String prefix, PropertyKey<B, T> key,
                                                                      Supplier<B> scratch) {
        return withoutDefault(prefix + key.name(), key.type(), ABSENT, key.description(), (d, v) -> {
            key.setter().accept(scratch.get(), v);
            d.migration().lifecycleSetting(prefix + key.name(), v);
        });
    }
}
