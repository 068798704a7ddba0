package dev.flagway.openfeature;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.flagway.FlagStateStore;
import dev.flagway.internal.Durations;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.Hook;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.GeneralError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenFeature provider whose flags live in the application's own database, next to the data a
 * migration moves. Evaluations never touch the database: they read a snapshot held in a Caffeine
 * cache, which one background thread refreshes every {@linkplain Builder#refreshInterval refresh
 * interval} (1 s by default). Changes are detected by each flag's version and announced with
 * {@code PROVIDER_CONFIGURATION_CHANGED} naming the changed flags, so a flag disabled through any
 * instance (by an operator or by Flagway's circuit breaker through {@link #flagStateStore()}) is
 * served by every instance sharing the database within one refresh interval.
 *
 * <h2>Evaluation</h2>
 * A flag serves its base variant, or, to the rollout share of targeting keys, its rollout variant;
 * keys are bucketed exactly like flagd's {@code fractional} ({@link FractionalBucketing} over
 * {@code flagKey + targetingKey}). Results carry the variant and a reason: {@code STATIC} (one value
 * for every key), {@code SPLIT} (bucketed), {@code DISABLED} (a disabled migration flag serves its
 * stages clamped to {@code dual_write}; other disabled flags serve the caller's default),
 * {@code STALE} (the last refresh failed: the last snapshot is served) or {@code ERROR} with the
 * OpenFeature error code: {@code PROVIDER_NOT_READY} before the first successful load,
 * {@code FLAG_NOT_FOUND}, {@code TYPE_MISMATCH}, {@code TARGETING_KEY_MISSING} (a rollout strictly
 * between 0% and 100% and no targeting key) or {@code PARSE_ERROR} (a row edited by hand into an
 * unservable state). Flag metadata holds the flag's {@code version} and, when disabled, its
 * {@code disabledReason}. No exception reaches the caller. A result holding the flag's own value is
 * prepared when the flag is loaded and returned to every evaluation that resolves to it, so it is
 * read-only: its setters throw {@link UnsupportedOperationException} (the SDK only reads results).
 *
 * <h2>Lifecycle and events</h2>
 * {@link #initialize} creates the tables if configured, loads the flags once synchronously and starts
 * the refresh. If that first load fails, it still starts the refresh and then throws a
 * {@link GeneralError} explaining why (the SDK marks the provider ERROR); evaluations answer
 * {@code PROVIDER_NOT_READY} until a refresh succeeds, which emits {@code PROVIDER_READY}. While
 * serving, a failing refresh emits {@code PROVIDER_STALE} once per outage and the recovery emits
 * {@code PROVIDER_READY}. {@link #shutdown()} stops the refresh thread; a provider cannot be
 * initialized again after it.
 */
public final class FlagwayProvider extends EventProvider {
    /** The provider name in metadata, events and metrics: {@code flagway}. */
    public static final String NAME = "flagway";
    /** The reason of results served from a snapshot whose refresh is failing. */
    public static final String STALE_REASON = "STALE";

    private static final Logger log = LoggerFactory.getLogger(FlagwayProvider.class);
    private static final Metadata METADATA = () -> NAME;

    private final FlagStore store;
    private final Duration refreshInterval;
    private final boolean createTables;
    private final Cache<String, CompiledFlag> snapshot = Caffeine.newBuilder().build();
    private volatile FlagAdmin admin;

    private final Object lifecycleLock = new Object();
    private final Object refreshLock = new Object();
    private volatile ProviderState status = ProviderState.NOT_READY;
    private volatile boolean closed;
    private ScheduledExecutorService scheduler; // guarded by lifecycleLock

    // refresh bookkeeping, guarded by refreshLock
    private boolean tablesReady;
    private boolean loaded;
    private int failedRefreshes;
    private Instant outageStart;
    private Instant lastLoad;
    private boolean notReadyWarned;

    private FlagwayProvider(Builder builder) {
        this.store = new FlagStore(builder.dataSource, builder.tables, (int) builder.queryTimeout.toSeconds());
        this.refreshInterval = builder.refreshInterval;
        this.createTables = builder.createTables;
    }

    /**
     * Starts configuring a provider on the application's data source.
     *
     * @param dataSource the data source holding the flag tables (a pool, ideally)
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    @Override
    public Metadata getMetadata() {
        return METADATA;
    }

    /** None: one shared empty list, where the interface's default makes a new list for every evaluation. */
    @Override
    @SuppressWarnings("rawtypes") // the SDK's FeatureProvider declares List<Hook>
    public List<Hook> getProviderHooks() {
        return List.of();
    }

    /**
     * Creates the tables (if configured), loads the flags and starts the background refresh.
     *
     * @throws GeneralError when the first load fails; the refresh keeps trying and emits
     *     {@code PROVIDER_READY} once the flags load
     */
    @Override
    public void initialize(EvaluationContext evaluationContext) throws Exception {
        boolean schedule;
        synchronized (lifecycleLock) {
            if (closed) {
                throw new GeneralError("this FlagwayProvider was shut down; create a new one");
            }
            schedule = scheduler == null;
            if (schedule) {
                scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "flagway-flag-refresh[" + store.tables().flagsTable() + "]");
                    t.setDaemon(true);
                    return t;
                });
            }
        }
        RuntimeException failure = refresh(false);
        if (schedule) {
            long nanos = refreshInterval.toNanos();
            synchronized (lifecycleLock) {
                if (!closed) {
                    scheduler.scheduleWithFixedDelay(this::scheduledRefresh, nanos, nanos, TimeUnit.NANOSECONDS);
                }
            }
        }
        if (failure != null && status == ProviderState.NOT_READY) {
            throw new GeneralError("Flagway could not load flags from " + store.tables().flagsTable() + ": "
                    + failure.getMessage() + ". Evaluations return PROVIDER_NOT_READY until a refresh succeeds;"
                    + " it retries every " + Durations.format(refreshInterval) + " and then emits PROVIDER_READY");
        }
    }

    /** Stops the background refresh and the event emitter. Idempotent. */
    @Override
    public void shutdown() {
        ScheduledExecutorService s;
        synchronized (lifecycleLock) {
            closed = true;
            status = ProviderState.NOT_READY;
            s = scheduler;
        }
        if (s != null) {
            s.shutdownNow();
            try {
                if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("Flagway flag refresh of {} did not stop within 5s", store.tables().flagsTable());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        snapshot.invalidateAll();
        super.shutdown();
    }

    /**
     * This provider's own view of its state: {@code NOT_READY} before the first load and after
     * shutdown, {@code READY}, or {@code STALE} while refreshes fail.
     */
    public ProviderState status() {
        return status;
    }

    /** The refresh interval. */
    public Duration refreshInterval() {
        return refreshInterval;
    }

    /** The tables this provider reads. */
    public FlagwayTables tables() {
        return store.tables();
    }

    /**
     * An admin on the same data source and tables (one instance, created on first use). A change made
     * through it is served by this provider as soon as the change returns (other instances see it
     * within one refresh interval).
     */
    public FlagAdmin admin() {
        FlagAdmin a = admin;
        if (a == null) {
            synchronized (lifecycleLock) {
                if (admin == null) {
                    FlagAdmin created = FlagAdmin.create(store.dataSource(), store.tables());
                    created.serveChangesIn(new FlagAdmin.LocalChanges() {
                        @Override
                        public void changed(FlagState state) {
                            applyLocal(state);
                        }

                        @Override
                        public void deleted(String flagKey) {
                            applyLocalDelete(flagKey);
                        }
                    });
                    admin = created;
                }
                a = admin;
            }
        }
        return a;
    }

    /**
     * The {@link FlagStateStore} to give Flagway's circuit breakers: a trip disables the migration's
     * flag in the table (audited, with the breaker's actor and reason), and every provider instance on
     * the database then serves the clamped stage within one refresh interval.
     */
    public FlagStateStore flagStateStore() {
        return admin().flagStateStore();
    }

    // ---------------------------------------------------------------- evaluation

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, Requested.BOOLEAN);
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, Requested.STRING);
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, Requested.INTEGER);
    }

    @Override
    public ProviderEvaluation<Long> getLongEvaluation(String key, Long defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, Requested.LONG);
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, Requested.DOUBLE);
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, Requested.OBJECT);
    }

    /** What an evaluation method asks for, and which flag types answer it. */
    private enum Requested {
        BOOLEAN("boolean"), STRING("string"), INTEGER("integer"), LONG("long"), DOUBLE("double"), OBJECT("object");

        final String label;

        Requested(String label) {
            this.label = label;
        }

        boolean accepts(FlagType type) {
            switch (this) {
                case BOOLEAN:
                    return type == FlagType.BOOLEAN;
                case STRING:
                    return type == FlagType.STRING || type == FlagType.STAGE;
                case INTEGER:
                case LONG:
                    return type == FlagType.INTEGER;
                case DOUBLE:
                    return type == FlagType.DOUBLE;
                default:
                    return type == FlagType.OBJECT;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <T> ProviderEvaluation<T> evaluate(String key, T defaultValue, EvaluationContext ctx, Requested requested) {
        ProviderState state = status;
        if (state == ProviderState.NOT_READY) {
            return error(defaultValue, ErrorCode.PROVIDER_NOT_READY, closed
                    ? "the Flagway provider was shut down"
                    : "the Flagway provider has not loaded its flags from " + store.tables().flagsTable() + " yet");
        }
        CompiledFlag flag = key == null ? null : snapshot.getIfPresent(key);
        if (flag == null) {
            return error(defaultValue, ErrorCode.FLAG_NOT_FOUND, "flag '" + key + "' is not defined in "
                    + store.tables().flagsTable());
        }
        if (flag.parseError != null) {
            return error(defaultValue, ErrorCode.PARSE_ERROR, flag.parseError);
        }
        if (!requested.accepts(flag.type)) {
            return error(defaultValue, ErrorCode.TYPE_MISMATCH, "flag '" + key + "' is a " + flag.type.columnValue()
                    + " flag but was evaluated as " + requested.label);
        }
        CompiledFlag.Outcome outcome = flag.resolve(ctx);
        if (outcome == null) {
            return error(defaultValue, ErrorCode.TARGETING_KEY_MISSING, "flag '" + key + "' rolls out to "
                    + (flag.splitBasisPoints / 100.0) + "% of targeting keys, so it needs a targeting key");
        }
        boolean stale = state == ProviderState.STALE;
        if (outcome.value == null) {
            return result(defaultValue, outcome, stale);
        }
        if (requested == Requested.INTEGER) {
            long l = (Long) outcome.value;
            if (l != (int) l) {
                return error(defaultValue, ErrorCode.TYPE_MISMATCH, "flag '" + key + "' holds " + l
                        + ", which does not fit an integer; evaluate it as long");
            }
            return result((T) Integer.valueOf((int) l), outcome, stale);
        }
        return (ProviderEvaluation<T>) outcome.prepared(stale);
    }

    /** A result holding a value other than the outcome's own. */
    private static <T> ProviderEvaluation<T> result(T value, CompiledFlag.Outcome outcome, boolean stale) {
        return ProviderEvaluation.<T>builder()
                .value(value)
                .variant(outcome.variant)
                .reason(stale ? STALE_REASON : outcome.reason)
                .flagMetadata(outcome.metadata)
                .build();
    }

    private static <T> ProviderEvaluation<T> error(T defaultValue, ErrorCode code, String message) {
        return ProviderEvaluation.<T>builder()
                .value(defaultValue)
                .reason(Reason.ERROR.name())
                .errorCode(code)
                .errorMessage(message)
                .build();
    }

    // ---------------------------------------------------------------- refresh

    /**
     * Serves a change this instance's admin just committed, without waiting for the next refresh.
     * Under the refresh lock, so a refresh that loaded the rows before the commit cannot apply them
     * after it; an entry already at this version or later is kept.
     */
    private void applyLocal(FlagState state) {
        synchronized (refreshLock) {
            if (closed || !loaded) {
                return; // not serving yet: the first load reads the change
            }
            CompiledFlag existing = snapshot.getIfPresent(state.key());
            if (existing != null && existing.version >= state.version()) {
                return;
            }
            FlagDefinition def = state.definition();
            CompiledFlag compiled = CompiledFlag.compile(new FlagStore.FlagRow(state.key(), def.type().columnValue(),
                    def.enabled(), def.baseVariant(), def.rolloutVariant(),
                    def.hasRollout() ? java.math.BigDecimal.valueOf(def.rolloutPercentage()) : null,
                    def.disabledReason(), state.version(), state.updatedBy(), state.updatedAt()));
            snapshot.put(state.key(), compiled);
            logChange(existing, compiled);
            emitSafely(Event.CHANGED, ProviderEventDetails.builder().flagsChanged(List.of(state.key()))
                    .message("flag '" + state.key() + "' changed through this instance's admin").build());
        }
    }

    /** Stops serving a flag this instance's admin just deleted. */
    private void applyLocalDelete(String flagKey) {
        synchronized (refreshLock) {
            if (closed || !loaded || snapshot.getIfPresent(flagKey) == null) {
                return;
            }
            snapshot.invalidate(flagKey);
            log.info("Flagway flag '{}' was deleted from {}", flagKey, store.tables().flagsTable());
            emitSafely(Event.CHANGED, ProviderEventDetails.builder().flagsChanged(List.of(flagKey))
                    .message("flag '" + flagKey + "' deleted through this instance's admin").build());
        }
    }

    private void scheduledRefresh() {
        try {
            refresh(true);
        } catch (RuntimeException e) {
            // Never let the schedule die.
            log.warn("Flagway flag refresh of {} failed unexpectedly", store.tables().flagsTable(), e);
        }
    }

    /** Loads the flags once for tests and callers that need a change now. */
    void refreshNow() {
        refresh(true);
    }

    /**
     * Loads every flag row and swaps changed entries into the snapshot.
     *
     * @param background whether the SDK is not waiting on this call (then the first load emits READY itself)
     * @return the failure, or null when the load succeeded
     */
    private RuntimeException refresh(boolean background) {
        synchronized (refreshLock) {
            if (closed) {
                return null;
            }
            List<FlagStore.FlagRow> rows;
            try {
                if (createTables && !tablesReady) {
                    store.createTables();
                    tablesReady = true;
                }
                rows = store.loadAll();
            } catch (RuntimeException e) {
                onFailure(e);
                return e;
            }
            if (!closed) {
                apply(rows, background);
            }
            return null;
        }
    }

    private void apply(List<FlagStore.FlagRow> rows, boolean background) {
        Map<String, CompiledFlag> current = snapshot.asMap();
        List<String> changed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (FlagStore.FlagRow row : rows) {
            seen.add(row.key());
            CompiledFlag existing = current.get(row.key());
            if (existing == null || existing.version != row.version()) {
                CompiledFlag compiled = CompiledFlag.compile(row);
                snapshot.put(row.key(), compiled);
                changed.add(row.key());
                if (loaded) {
                    logChange(existing, compiled);
                }
            }
        }
        for (String key : new ArrayList<>(current.keySet())) {
            if (!seen.contains(key)) {
                snapshot.invalidate(key);
                changed.add(key);
                log.info("Flagway flag '{}' was deleted from {}", key, store.tables().flagsTable());
            }
        }
        Collections.sort(changed);
        boolean firstLoad = !loaded;
        ProviderState previous = status;
        loaded = true;
        lastLoad = Instant.now();
        status = ProviderState.READY;
        notReadyWarned = false;
        if (previous == ProviderState.NOT_READY) {
            log.info("Flagway provider loaded {} flags from {}", rows.size(), store.tables().flagsTable());
            if (background) {
                emitSafely(Event.READY, ProviderEventDetails.builder()
                        .message("loaded " + rows.size() + " flags from " + store.tables().flagsTable()).build());
            }
        } else if (previous == ProviderState.STALE) {
            log.warn("Flagway flags in {} are fresh again after {} failed refreshes since {}",
                    store.tables().flagsTable(), failedRefreshes, outageStart);
            emitSafely(Event.READY, ProviderEventDetails.builder()
                    .message("flag refresh from " + store.tables().flagsTable() + " recovered").build());
        }
        failedRefreshes = 0;
        outageStart = null;
        if (!firstLoad && !changed.isEmpty()) {
            emitSafely(Event.CHANGED, ProviderEventDetails.builder()
                    .flagsChanged(Collections.unmodifiableList(changed))
                    .message(changed.size() + " flag(s) changed in " + store.tables().flagsTable())
                    .build());
        }
    }

    private void logChange(CompiledFlag before, CompiledFlag after) {
        if (after.parseError != null) {
            log.warn("Flagway flag '{}' (version {}) cannot be served and answers PARSE_ERROR: {}",
                    after.key, after.version, after.parseError);
        } else if (!after.enabled && (before == null || before.enabled)) {
            log.warn("Flagway flag '{}' is disabled (version {}): {}", after.key, after.version,
                    after.disabledReason == null ? "no reason given" : after.disabledReason);
        } else if (after.enabled && before != null && !before.enabled) {
            log.warn("Flagway flag '{}' is enabled again (version {})", after.key, after.version);
        } else {
            log.info("Flagway flag '{}' changed to version {}", after.key, after.version);
        }
    }

    private void onFailure(RuntimeException e) {
        if (closed) {
            return;
        }
        failedRefreshes++;
        if (status == ProviderState.READY) {
            status = ProviderState.STALE;
            outageStart = Instant.now();
            log.warn("Flagway flags in {} are stale: refresh failed ({}); serving the {} flags loaded at {} with reason STALE"
                    + " until a refresh succeeds", store.tables().flagsTable(), e.getMessage(), snapshot.estimatedSize(),
                    lastLoad);
            emitSafely(Event.STALE, ProviderEventDetails.builder()
                    .message("refresh from " + store.tables().flagsTable() + " failed: " + e.getMessage()).build());
        } else if (status == ProviderState.NOT_READY && !notReadyWarned) {
            notReadyWarned = true;
            log.warn("Flagway could not load flags from {} ({}); evaluations return PROVIDER_NOT_READY until a refresh"
                    + " succeeds", store.tables().flagsTable(), e.getMessage());
        } else if (log.isDebugEnabled()) {
            log.debug("Flagway flag refresh of {} failed again ({} in a row): {}", store.tables().flagsTable(),
                    failedRefreshes, e.getMessage());
        }
    }

    private enum Event { READY, STALE, CHANGED }

    private void emitSafely(Event event, ProviderEventDetails details) {
        try {
            switch (event) {
                case READY:
                    emitProviderReady(details);
                    break;
                case STALE:
                    emitProviderStale(details);
                    break;
                default:
                    emitProviderConfigurationChanged(details);
                    break;
            }
        } catch (RuntimeException e) {
            log.debug("Flagway could not emit {}: {}", event, e.toString());
        }
    }

    // ---------------------------------------------------------------- builder

    /** Configures a {@link FlagwayProvider}; every setter checks its argument. */
    public static final class Builder {
        private static final Duration MIN_REFRESH = Duration.ofMillis(10);
        private static final Duration MAX_REFRESH = Duration.ofHours(1);

        private final DataSource dataSource;
        private FlagwayTables tables = FlagwayTables.defaults();
        private Duration refreshInterval = Duration.ofSeconds(1);
        private Duration queryTimeout = Duration.ofSeconds(5);
        private boolean createTables = true;

        private Builder(DataSource dataSource) {
            if (dataSource == null) {
                throw new IllegalArgumentException("data source must not be null");
            }
            this.dataSource = dataSource;
        }

        /** The table names (default {@link FlagwayTables#defaults()}). */
        public Builder tables(FlagwayTables tables) {
            if (tables == null) {
                throw new IllegalArgumentException("tables must not be null");
            }
            this.tables = tables;
            return this;
        }

        /**
         * Shorthand for {@code tables(FlagwayTables.withPrefix(prefix))}: tables {@code <prefix>flags}
         * and {@code <prefix>flag_audit}.
         */
        public Builder tablePrefix(String prefix) {
            this.tables = FlagwayTables.withPrefix(prefix);
            return this;
        }

        /**
         * How often the background thread reloads the flags (default 1 s, 10 ms to 1 h). A change in
         * any instance is served everywhere within about one interval.
         */
        public Builder refreshInterval(Duration interval) {
            if (interval == null) {
                throw new IllegalArgumentException("refresh interval must not be null");
            }
            if (interval.compareTo(MIN_REFRESH) < 0 || interval.compareTo(MAX_REFRESH) > 0) {
                throw new IllegalArgumentException("refresh interval must be between 10ms and 1h but was "
                        + Durations.format(interval));
            }
            this.refreshInterval = interval;
            return this;
        }

        /**
         * The JDBC timeout of each refresh query (default 5 s, whole seconds from 1 s to 5 min), after
         * which a hanging database counts as a failed refresh. Waiting for a pooled connection is
         * bounded by the pool's own timeout.
         */
        public Builder queryTimeout(Duration timeout) {
            if (timeout == null) {
                throw new IllegalArgumentException("query timeout must not be null");
            }
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0
                    || timeout.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException("query timeout must be whole seconds between 1s and 5m but was "
                        + Durations.format(timeout));
            }
            this.queryTimeout = timeout;
            return this;
        }

        /**
         * Whether {@link #initialize} creates missing tables (default true). Turn it off when schema
         * changes go through your own migration tool; {@link FlagAdmin#createTables()} shows the DDL's effect.
         */
        public Builder createTables(boolean createTables) {
            this.createTables = createTables;
            return this;
        }

        /** The provider, not yet initialized: hand it to {@code OpenFeatureAPI.setProviderAndWait}. */
        public FlagwayProvider build() {
            return new FlagwayProvider(this);
        }
    }
}
