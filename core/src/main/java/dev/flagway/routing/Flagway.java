package dev.flagway.routing;

import dev.flagway.internal.RateLimitedLogger;
import dev.flagway.internal.DaemonThreads;
import dev.flagway.FallbackListener;
import dev.flagway.FlagStateStore;
import dev.flagway.Migration;
import dev.flagway.WritePolicy;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.config.FlagwaySettings;
import dev.flagway.internal.MissingInputs;
import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.Checks;
import dev.flagway.internal.tables.TableDefinition;
import dev.flagway.internal.tables.TableSetup;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.BookkeepingTableException;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.jdbc.TransactionRunner;
import dev.openfeature.sdk.Client;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The entry point: the application's migrations at run time, sharing one OpenFeature client, one
 * shadow-read pool, one meter registry and one transaction runner. Build it once at start-up; every
 * setting is validated in {@link Builder#build()}, and it is immutable and thread-safe afterwards.
 * With a transaction runner, one background thread re-reads the keys pinned to the legacy column
 * (see {@link MigrationRuntime#pinnedToLegacy}) every {@code flagway.pinned-keys.refresh-interval}.
 *
 * <pre>{@code
 * Flagway flagway = Flagway.builder()
 *         .client(OpenFeatureAPI.getInstance().getClient())
 *         .settings(FlagwayProperties.bind(applicationProperties))
 *         .transactionRunner(transactions)
 *         .meterRegistry(meterRegistry)
 *         .build();
 * MigrationRuntime usersEmail = flagway.migration("users-email");
 * }</pre>
 */
public final class Flagway implements AutoCloseable {
    private final Map<String, MigrationRuntime> migrations;
    private final ShadowExecutor shadow;
    private final ExecutorService flagStoreWriter;
    private final ScheduledExecutorService pinRefresher;
    private final FlagwaySettings settings;
    private final FallbackListener fallbackListener;

    private Flagway(Map<String, MigrationRuntime> migrations, ShadowExecutor shadow, ExecutorService flagStoreWriter,
                    ScheduledExecutorService pinRefresher, FlagwaySettings settings, FallbackListener fallbackListener) {
        this.settings = settings;
        this.fallbackListener = fallbackListener;
        this.migrations = migrations;
        this.shadow = shadow;
        this.flagStoreWriter = flagStoreWriter;
        this.pinRefresher = pinRefresher;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The running migration with this id.
     *
     * @throws IllegalArgumentException naming the known ids when there is none
     */
    public MigrationRuntime migration(String id) {
        MigrationRuntime runtime = migrations.get(id);
        if (runtime == null) {
            throw new IllegalArgumentException("unknown migration '" + id + "'; configured: " + migrations.keySet());
        }
        return runtime;
    }

    /** Every running migration, in definition order. */
    public Collection<MigrationRuntime> migrations() {
        return migrations.values();
    }

    /** The settings it was built with. */
    public FlagwaySettings settings() {
        return settings;
    }

    /**
     * The listener every fallback of every migration is reported to, or empty when none was given: the
     * lifecycle takes its fallback journal from here, so that the journal the contract gate counts is
     * the one this instance feeds.
     */
    public Optional<FallbackListener> fallbackListener() {
        return Optional.ofNullable(fallbackListener);
    }

    /** Stops the shadow-read pool, the flag-store writer and the pinned-key refresher. */
    @Override
    public void close() {
        shadow.close();
        flagStoreWriter.shutdown();
        if (pinRefresher != null) {
            pinRefresher.shutdownNow();
        }
    }

    /** Builds a {@link Flagway}; setters check their argument, {@link #build()} the whole. */
    public static final class Builder {
        private Client client;
        private FlagwaySettings settings = FlagwaySettings.ofDefaults();
        private final Map<String, Migration> extraMigrations = new LinkedHashMap<>();
        private MeterRegistry meterRegistry;
        private TransactionRunner transactionRunner;
        private RepairLog repairLog = RepairLog.ofDefaults();
        private BadRowLog badRowLog = BadRowLog.ofDefaults();
        private FlagStateStore flagStateStore;
        private FallbackListener fallbackListener;

        private Builder() {
        }

        /** The OpenFeature client that evaluates the migrations' flags. Required. */
        public Builder client(Client client) {
            this.client = Checks.notNull("OpenFeature client", client);
            return this;
        }

        /** Global settings and migrations, e.g. from {@code FlagwayProperties.bind(...)}. */
        public Builder settings(FlagwaySettings settings) {
            this.settings = Checks.notNull("settings", settings);
            return this;
        }

        /**
         * Adds a migration defined in code; it replaces a migration of the same id from
         * {@link #settings(FlagwaySettings)} (e.g. to add its transform).
         */
        public Builder migration(Migration migration) {
            Checks.notNull("migration", migration);
            if (extraMigrations.putIfAbsent(migration.id(), migration) != null) {
                throw new IllegalArgumentException("migration '" + migration.id() + "' was already added");
            }
            return this;
        }

        /** Where meters go; none means no meters are kept. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Checks.notNull("meter registry", registry);
            return this;
        }

        /**
         * Runs each dual write in one transaction, the modern part under a savepoint, with a failed
         * modern write repaired (or recorded for repair) in the same transaction. Without one, the two
         * writes are separate and a failed modern write is only counted and logged, so reads of its key
         * may be stale until the backfill re-verifies it; {@link WritePolicy#STRICT} requires one.
         */
        public Builder transactionRunner(TransactionRunner runner) {
            this.transactionRunner = Checks.notNull("transaction runner", runner);
            return this;
        }

        /** Where failed modern writes are recorded; {@link RepairLog#ofDefaults()} by default. */
        public Builder repairLog(RepairLog log) {
            this.repairLog = Checks.notNull("repair log", log);
            return this;
        }

        /**
         * Where the backfill records rows it could not migrate, whose keys every instance reads from
         * the legacy column; {@link BadRowLog#ofDefaults()} by default.
         */
        public Builder badRowLog(BadRowLog log) {
            this.badRowLog = Checks.notNull("bad-row log", log);
            return this;
        }

        /** Persists a breaker trip so that every instance converges on the clamped stage. */
        public Builder flagStateStore(FlagStateStore store) {
            this.flagStateStore = Checks.notNull("flag state store", store);
            return this;
        }

        /** Told of every fallback (e.g. the contract gate's journal). */
        public Builder fallbackListener(FallbackListener listener) {
            this.fallbackListener = Checks.notNull("fallback listener", listener);
            return this;
        }

        /**
         * Validates and starts. With a transaction runner: makes sure the repair and bad-row tables
         * exist (creating them unless {@code flagway.tables.create=false}), reads the keys pinned to the
         * legacy column and starts re-reading them in the background.
         *
         * @throws IllegalStateException listing every missing input (the client, a migration, the
         *     transaction runner a strict migration needs), with what provides it
         * @throws BookkeepingTableException when a table is missing and may not be
         *     created, or cannot be
         */
        public Flagway build() {
            Map<String, Migration> definitions = new LinkedHashMap<>(settings.migrations());
            definitions.putAll(extraMigrations);
            MissingInputs missing = MissingInputs.of("Flagway")
                    .require(client, "OpenFeature client (client(...): OpenFeatureAPI.getInstance().getClient() "
                            + "provides it)")
                    .requireThat(!definitions.isEmpty(), "migration (no migration is configured: add "
                            + "flagway.migrations.<id>.* properties or call migration(...))");
            List<String> strict = definitions.values().stream()
                    .filter(m -> m.writePolicy() == WritePolicy.STRICT).map(Migration::id).toList();
            missing.requireThat(strict.isEmpty() || transactionRunner != null, "transaction runner "
                    + "(transactionRunner(...): migrations " + strict + " use write-policy strict, which needs a "
                    + "transaction runner to roll the legacy write back)");
            missing.check();
            if (transactionRunner != null) {
                setUpTables();
            }
            MeterRegistry registry = meterRegistry != null ? meterRegistry : new CompositeMeterRegistry();
            ShadowExecutor shadow = new ShadowExecutor(settings.shadowThreads(), settings.shadowQueueCapacity());
            ExecutorService writer = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    DaemonThreads.named("flagway-flag-store-"));
            long logInterval = settings.flagErrorLogInterval().toNanos();
            Map<String, MigrationRuntime> runtimes = new LinkedHashMap<>();
            for (Migration m : definitions.values()) {
                CircuitBreaker breaker = CircuitBreaker.of(m.id(), m.breaker());
                runtimes.put(m.id(), new MigrationRuntime(m, client, registry, breaker, shadow, transactionRunner,
                        repairLog, badRowLog, flagStateStore, writer, fallbackListener, logInterval));
            }
            Map<String, MigrationRuntime> all = Collections.unmodifiableMap(runtimes);
            return new Flagway(all, shadow, writer, transactionRunner == null ? null : startPinRefresher(all), settings,
                    fallbackListener);
        }

        private void setUpTables() {
            List<TableDefinition> tables = List.of(
                    new Bookkeeping.Repairs(Bookkeeping.name("repair table", repairLog.tableName())).definition(),
                    new Bookkeeping.BadRows(Bookkeeping.name("bad-row table", badRowLog.tableName())).definition());
            try {
                transactionRunner.inTransaction(() -> {
                    TableSetup.ensure(transactionRunner, transactionRunner.currentConnection(), settings.createTables(),
                            tables);
                    return null;
                });
            } catch (BookkeepingTableException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IllegalStateException("could not set up the repair and bad-row tables: " + e.getMessage(), e);
            }
        }

        /** Reads the pinned keys once now (a failure fails the build), then every refresh interval. */
        private ScheduledExecutorService startPinRefresher(Map<String, MigrationRuntime> runtimes) {
            for (MigrationRuntime runtime : runtimes.values()) {
                try {
                    runtime.refreshPins();
                } catch (RuntimeException e) {
                    throw new IllegalStateException("could not read the keys pinned to the legacy column of migration '"
                            + runtime.migration().id() + "': " + e.getMessage(), e);
                }
            }
            RateLimitedLogger failures = RateLimitedLogger.of(Flagway.class, settings.flagErrorLogInterval().toNanos());
            ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
                    DaemonThreads.named("flagway-pinned-keys-"));
            long millis = settings.pinnedKeysRefreshInterval().toMillis();
            refresher.scheduleWithFixedDelay(() -> {
                for (MigrationRuntime runtime : runtimes.values()) {
                    try {
                        runtime.refreshPins();
                    } catch (RuntimeException e) {
                        failures.warn("Could not re-read the keys pinned to the legacy column of migration '{}'; "
                                + "keeping the last ones read: {}", runtime.migration().id(), e.toString());
                    }
                }
            }, millis, millis, TimeUnit.MILLISECONDS);
            return refresher;
        }
    }
}
