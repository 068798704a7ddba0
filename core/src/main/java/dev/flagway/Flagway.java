package dev.flagway;

import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.config.FlagwaySettings;
import dev.flagway.internal.Checks;
import dev.flagway.internal.DaemonThreads;
import dev.flagway.internal.ShadowExecutor;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.jdbc.TransactionRunner;
import dev.openfeature.sdk.Client;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The entry point: the application's migrations at run time, sharing one OpenFeature client, one
 * shadow-read pool, one meter registry and one transaction runner. Build it once at start-up; every
 * setting is validated in {@link Builder#build()}, and it is immutable and thread-safe afterwards.
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

    private Flagway(Map<String, MigrationRuntime> migrations, ShadowExecutor shadow, ExecutorService flagStoreWriter) {
        this.migrations = migrations;
        this.shadow = shadow;
        this.flagStoreWriter = flagStoreWriter;
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

    /** Stops the shadow-read pool and the flag-store writer. */
    @Override
    public void close() {
        shadow.close();
        flagStoreWriter.shutdown();
    }

    /** Builds a {@link Flagway}; setters check their argument, {@link #build()} the whole. */
    public static final class Builder {
        private Client client;
        private FlagwaySettings settings = FlagwaySettings.ofDefaults();
        private final Map<String, Migration> extraMigrations = new LinkedHashMap<>();
        private MeterRegistry meterRegistry;
        private TransactionRunner transactionRunner;
        private RepairLog repairLog = RepairLog.ofDefaults();
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
         * Runs each dual write in one transaction, the modern part under a savepoint, with failed modern
         * writes recorded for repair in the same transaction. Without one, the two writes are separate
         * and a failed modern write is only counted and logged; {@link WritePolicy#STRICT} requires one.
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
         * Validates and starts: creates the repair table when a transaction runner is set.
         *
         * @throws IllegalStateException when something required is missing or inconsistent
         */
        public Flagway build() {
            if (client == null) {
                throw new IllegalStateException("an OpenFeature client is required: call client(...)");
            }
            Map<String, Migration> definitions = new LinkedHashMap<>(settings.migrations());
            definitions.putAll(extraMigrations);
            if (definitions.isEmpty()) {
                throw new IllegalStateException("no migration is configured: add flagway.migrations.<id>.* "
                        + "properties or call migration(...)");
            }
            for (Migration m : definitions.values()) {
                if (m.writePolicy() == WritePolicy.STRICT && transactionRunner == null) {
                    throw new IllegalStateException("migration '" + m.id() + "' uses write-policy strict, which "
                            + "needs a transaction runner to roll the legacy write back: call transactionRunner(...)");
                }
            }
            if (transactionRunner != null) {
                createRepairTable();
            }
            MeterRegistry registry = meterRegistry != null ? meterRegistry : new CompositeMeterRegistry();
            Duration shortestShadowTimeout = definitions.values().stream().map(m -> m.shadow().timeout())
                    .min(Comparator.naturalOrder()).orElseThrow();
            ShadowExecutor shadow = new ShadowExecutor(settings.shadowThreads(), settings.shadowQueueCapacity(),
                    shortestShadowTimeout);
            ExecutorService writer = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    DaemonThreads.named("flagway-flag-store-"));
            long logInterval = settings.flagErrorLogInterval().toNanos();
            Map<String, MigrationRuntime> runtimes = new LinkedHashMap<>();
            for (Migration m : definitions.values()) {
                CircuitBreaker breaker = CircuitBreaker.of(m.id(), m.breaker());
                runtimes.put(m.id(), new MigrationRuntime(m, client, registry, breaker, shadow, transactionRunner,
                        repairLog, flagStateStore, writer, fallbackListener, logInterval));
            }
            return new Flagway(Collections.unmodifiableMap(runtimes), shadow, writer);
        }

        private void createRepairTable() {
            try {
                transactionRunner.inTransaction(() -> {
                    repairLog.createIfMissing(transactionRunner.currentConnection());
                    return null;
                });
            } catch (RuntimeException e) {
                throw new IllegalStateException("could not create the repair table: " + e.getMessage(), e);
            }
        }
    }
}
