package dev.flagway.config;

import dev.flagway.Migration;
import dev.flagway.Stage;
import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable Flagway settings: the migrations and the settings they share. Build them in code with
 * {@link #custom()}, or bind them from application properties with {@link FlagwayProperties}.
 *
 * <pre>{@code
 * FlagwaySettings settings = FlagwaySettings.custom()
 *         .migration(usersEmail)
 *         .shadowThreads(4)
 *         .build();
 * }</pre>
 */
public final class FlagwaySettings {
    private static final FlagwaySettings DEFAULTS = custom().build();

    private final Map<String, Migration> migrations;
    private final Stage defaultStage;
    private final Duration flagErrorLogInterval;
    private final int shadowThreads;
    private final int shadowQueueCapacity;
    private final Duration pinnedKeysRefreshInterval;
    private final boolean createTables;
    private final ProviderSettings provider;
    private final Duration rolloutTick;
    private final Duration fleetHealthInterval;
    private final boolean backfillLatencyEnabled;
    private final String backfillLatencyMeter;

    private FlagwaySettings(Builder b) {
        this.migrations = Collections.unmodifiableMap(new LinkedHashMap<>(b.migrations));
        this.defaultStage = b.defaultStage;
        this.flagErrorLogInterval = b.flagErrorLogInterval;
        this.shadowThreads = b.shadowThreads;
        this.shadowQueueCapacity = b.shadowQueueCapacity;
        this.pinnedKeysRefreshInterval = b.pinnedKeysRefreshInterval;
        this.createTables = b.createTables;
        this.provider = b.provider;
        this.rolloutTick = b.rolloutTick;
        this.fleetHealthInterval = b.fleetHealthInterval;
        this.backfillLatencyEnabled = b.backfillLatencyEnabled;
        this.backfillLatencyMeter = b.backfillLatencyMeter;
    }

    /**
     * The defaults: no migrations, default stage OFF, flag errors logged once a minute, 2 shadow
     * threads, queue of 1000, pinned keys re-read every second, missing tables created.
     */
    public static FlagwaySettings ofDefaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** The migrations by id, unmodifiable, in the order they were defined. */
    public Map<String, Migration> migrations() {
        return migrations;
    }

    /** The migration with this id, or empty when there is none. */
    public Optional<Migration> migration(String id) {
        return Optional.ofNullable(migrations.get(id));
    }

    /**
     * The stage used when a flag cannot be evaluated, for bound migrations that do not set their own
     * {@code default-stage}; {@link Stage#OFF} by default. A {@link Migration} added with
     * {@link Builder#migration(Migration)} keeps its own {@link Migration#defaultStage()}.
     */
    public Stage defaultStage() {
        return defaultStage;
    }

    /** A flag evaluation problem is logged at most once per this interval per migration; default 1 minute. */
    public Duration flagErrorLogInterval() {
        return flagErrorLogInterval;
    }

    /** Threads of the executor that runs shadow reads off the callers' threads, shared by all migrations; default 2. */
    public int shadowThreads() {
        return shadowThreads;
    }

    /** Shadow reads that may wait for a thread; further ones are dropped (and counted); default 1000. */
    public int shadowQueueCapacity() {
        return shadowQueueCapacity;
    }

    /**
     * How often each instance re-reads the keys pinned to the legacy column (pending repairs and bad
     * rows, written by any instance); default 1 second. Another instance's failed write of a key
     * reaches this one's reads at the latest this much later.
     */
    public Duration pinnedKeysRefreshInterval() {
        return pinnedKeysRefreshInterval;
    }

    /**
     * Whether Flagway creates its missing tables (default true). False for applications whose DDL goes
     * through their own migration tool: a missing table then fails start-up, naming it; the DDL is
     * {@code BookkeepingTables.script(dialect)}.
     */
    public boolean createTables() {
        return createTables;
    }

    /**
     * How often each instance's rollout controller judges the running automatic rollouts; default 5
     * seconds. One instance of the fleet judges each migration per tick, under the runner lock.
     */
    public Duration rolloutTick() {
        return rolloutTick;
    }

    /**
     * How often each instance publishes its per-minute health of every migration to the fleet health
     * table; default 5 seconds.
     */
    public Duration fleetHealthInterval() {
        return fleetHealthInterval;
    }

    /**
     * Whether integrations that run the lifecycle in the application (the Spring Boot starter) make each
     * backfill back off when the application's own requests slow down, with a {@code LatencySignal}
     * over the timers named {@link #backfillLatencyMeter()}; default true. Flagway's core does not read
     * it: such integrations hand {@code BackfillHealthSignals.applicationLatency(registry, meter)} to the
     * lifecycle factory.
     */
    public boolean backfillLatencyEnabled() {
        return backfillLatencyEnabled;
    }

    /** The Micrometer timers of the application's requests that signal watches; default {@code http.server.requests}. */
    public String backfillLatencyMeter() {
        return backfillLatencyMeter;
    }

    /** The settings of Flagway's database-backed OpenFeature provider, for the integrations that build it. */
    public ProviderSettings provider() {
        return provider;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FlagwaySettings)) {
            return false;
        }
        FlagwaySettings that = (FlagwaySettings) o;
        return migrations.equals(that.migrations) && defaultStage == that.defaultStage
                && flagErrorLogInterval.equals(that.flagErrorLogInterval)
                && shadowThreads == that.shadowThreads && shadowQueueCapacity == that.shadowQueueCapacity
                && pinnedKeysRefreshInterval.equals(that.pinnedKeysRefreshInterval) && createTables == that.createTables
                && provider.equals(that.provider) && rolloutTick.equals(that.rolloutTick)
                && fleetHealthInterval.equals(that.fleetHealthInterval)
                && backfillLatencyEnabled == that.backfillLatencyEnabled
                && backfillLatencyMeter.equals(that.backfillLatencyMeter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(migrations, defaultStage, flagErrorLogInterval, shadowThreads, shadowQueueCapacity,
                pinnedKeysRefreshInterval, createTables, provider, rolloutTick, fleetHealthInterval,
                backfillLatencyEnabled, backfillLatencyMeter);
    }

    @Override
    public String toString() {
        return "FlagwaySettings{default-stage=" + defaultStage.flagValue()
                + ", flag-error-log-interval=" + Durations.format(flagErrorLogInterval)
                + ", shadow.threads=" + shadowThreads + ", shadow.queue-capacity=" + shadowQueueCapacity
                + ", pinned-keys.refresh-interval=" + Durations.format(pinnedKeysRefreshInterval)
                + ", rollout.tick=" + Durations.format(rolloutTick)
                + ", fleet-health.interval=" + Durations.format(fleetHealthInterval)
                + ", tables.create=" + createTables + ", backfill.latency.enabled=" + backfillLatencyEnabled
                + ", backfill.latency.meter=" + backfillLatencyMeter + ", provider=" + provider + ", migrations=" + migrations.values() + '}';
    }

    /** Builds {@link FlagwaySettings}; every setter checks its argument and names the bad value. */
    public static final class Builder {
        private final Map<String, Migration> migrations = new LinkedHashMap<>();
        private Stage defaultStage = Stage.OFF;
        private Duration flagErrorLogInterval = Duration.ofMinutes(1);
        private int shadowThreads = 2;
        private int shadowQueueCapacity = 1000;
        private Duration pinnedKeysRefreshInterval = Duration.ofSeconds(1);
        private boolean createTables = true;
        private ProviderSettings provider = ProviderSettings.ofDefaults();
        private Duration rolloutTick = Duration.ofSeconds(5);
        private Duration fleetHealthInterval = Duration.ofSeconds(5);
        private boolean backfillLatencyEnabled = true;
        private String backfillLatencyMeter = "http.server.requests";

        private Builder() {
        }

        /**
         * Adds a migration.
         *
         * @throws IllegalArgumentException when it is null or a migration with the same id was added
         */
        public Builder migration(Migration migration) {
            Checks.notNull("migration", migration);
            if (migrations.containsKey(migration.id())) {
                throw new IllegalArgumentException("migration '" + migration.id() + "' is defined twice");
            }
            migrations.put(migration.id(), migration);
            return this;
        }

        /** See {@link FlagwaySettings#defaultStage()}; not null. */
        public Builder defaultStage(Stage stage) {
            this.defaultStage = Checks.notNull("default stage", stage);
            return this;
        }

        /** See {@link FlagwaySettings#flagErrorLogInterval()}; positive. */
        public Builder flagErrorLogInterval(Duration interval) {
            this.flagErrorLogInterval = Checks.positive("flag error log interval", interval);
            return this;
        }

        /** See {@link FlagwaySettings#shadowThreads()}; from 1 to 64. */
        public Builder shadowThreads(int threads) {
            this.shadowThreads = between("shadow threads", threads, 1, 64);
            return this;
        }

        /** See {@link FlagwaySettings#shadowQueueCapacity()}; from 1 to 1,000,000. */
        public Builder shadowQueueCapacity(int capacity) {
            this.shadowQueueCapacity = between("shadow queue capacity", capacity, 1, 1_000_000);
            return this;
        }

        /** See {@link FlagwaySettings#pinnedKeysRefreshInterval()}; from 10 ms to 1 minute. */
        public Builder pinnedKeysRefreshInterval(Duration interval) {
            this.pinnedKeysRefreshInterval = tenMillisToAMinute("pinned keys refresh interval", interval);
            return this;
        }

        private static Duration tenMillisToAMinute(String what, Duration interval) {
            Checks.positive(what, interval);
            if (interval.toMillis() < 10 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException(what + " must be between 10ms and 1m but was "
                        + Durations.format(interval));
            }
            return interval;
        }

        /** See {@link FlagwaySettings#rolloutTick()}; from 10 ms to 1 minute. */
        public Builder rolloutTick(Duration interval) {
            this.rolloutTick = tenMillisToAMinute("rollout tick", interval);
            return this;
        }

        /** See {@link FlagwaySettings#fleetHealthInterval()}; from 10 ms to 1 minute. */
        public Builder fleetHealthInterval(Duration interval) {
            this.fleetHealthInterval = tenMillisToAMinute("fleet health interval", interval);
            return this;
        }

        /** See {@link FlagwaySettings#createTables()}. */
        public Builder createTables(boolean create) {
            this.createTables = create;
            return this;
        }

        /** See {@link FlagwaySettings#backfillLatencyEnabled()}. */
        public Builder backfillLatencyEnabled(boolean enabled) {
            this.backfillLatencyEnabled = enabled;
            return this;
        }

        /** See {@link FlagwaySettings#backfillLatencyMeter()}; not blank. */
        public Builder backfillLatencyMeter(String meterName) {
            Checks.notNull("backfill latency meter", meterName);
            if (meterName.isBlank()) {
                throw new IllegalArgumentException("backfill latency meter must not be blank");
            }
            this.backfillLatencyMeter = meterName;
            return this;
        }

        /** See {@link FlagwaySettings#provider()}; not null. */
        public Builder provider(ProviderSettings settings) {
            this.provider = Checks.notNull("provider settings", settings);
            return this;
        }

        /** The immutable settings; the builder may go on being used. */
        public FlagwaySettings build() {
            return new FlagwaySettings(this);
        }

        private static int between(String what, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(what + " must be between " + min + " and " + max + " but was " + value);
            }
            return value;
        }
    }
}
