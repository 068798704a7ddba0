package dev.flagway.openfeature;


import dev.flagway.FlagStateStore;
import dev.flagway.Stage;
import dev.flagway.contract.FlagHistory;
import dev.flagway.lifecycle.FlagChange;
import dev.flagway.lifecycle.FlagPosition;
import dev.flagway.lifecycle.FlagWriter;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.IntegrityConstraintViolationException;

/**
 * Changes and reads the flags a {@link FlagwayProvider} serves. Every change runs in one transaction
 * together with its audit row (who, when, why, the definition before and after), and is guarded by
 * an optimistic version check: the versioned methods take the version the caller read and throw
 * {@link ConcurrentFlagUpdateException} when the flag has moved on, so two operators cannot silently
 * overwrite each other. The overloads without a version read the current version first and then
 * make the same guarded change.
 *
 * <p>A change that would leave the definition as it is writes nothing and returns the current state.
 * Bad input is refused with an {@link IllegalArgumentException} (or {@link IllegalStateException}
 * when the flag's current state does not allow the change) naming the problem; database failures
 * surface as {@link FlagStoreException}.
 *
 * <p>It is also the {@link FlagWriter} a migration lifecycle moves its flag through, and the
 * {@link FlagHistory} its contract gate judges. A change made through {@link FlagwayProvider#admin()}
 * is served by that provider as soon as the change returns; other instances see it within one refresh.
 *
 * <p>Thread-safe; create one per data source and table pair and share it.
 */
public final class FlagAdmin implements FlagHistory, FlagWriter {
    private static final List<Stage> MODERN_READ_STAGES = List.of(Stage.LIVE, Stage.RAMP_DOWN, Stage.COMPLETE);

    /** The timeout of each admin statement (row locks included). */
    static final int QUERY_TIMEOUT_SECONDS = 30;
    private static final int STATE_STORE_ATTEMPTS = 5;

    private final FlagStore store;
    private final Clock clock;
    /** The provider that serves this admin's changes at once, or null. */
    private volatile LocalChanges localChanges;

    private FlagAdmin(FlagStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * An admin for the default tables ({@code flagway_flags}, {@code flagway_flag_audit}).
     *
     * @param dataSource the application's data source
     */
    public static FlagAdmin create(DataSource dataSource) {
        return create(dataSource, FlagwayTables.defaults());
    }

    /**
     * An admin for the given tables, timestamps from the system UTC clock.
     *
     * @param dataSource the application's data source
     * @param tables the table names, the same as the provider's
     */
    public static FlagAdmin create(DataSource dataSource, FlagwayTables tables) {
        return create(dataSource, tables, Clock.systemUTC());
    }

    /**
     * An admin for the given tables with the clock that stamps changes.
     *
     * @param dataSource the application's data source
     * @param tables the table names, the same as the provider's
     * @param clock the clock for {@code updated_at} and audit timestamps (stored in UTC, millisecond precision)
     */
    public static FlagAdmin create(DataSource dataSource, FlagwayTables tables, Clock clock) {
        if (dataSource == null) {
            throw new IllegalArgumentException("data source must not be null");
        }
        if (tables == null) {
            throw new IllegalArgumentException("tables must not be null");
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
        return new FlagAdmin(new FlagStore(dataSource, tables, QUERY_TIMEOUT_SECONDS), clock);
    }

    /** The tables this admin works on. */
    public FlagwayTables tables() {
        return store.tables();
    }

    /**
     * Creates the flags and audit tables if they do not exist (idempotent, safe to race).
     *
     * @throws FlagStoreException when the database refuses
     */
    public void createTables() {
        store.createTables();
    }

    // ---------------------------------------------------------------- create and read

    /**
     * Creates a migration flag serving {@code stage} to every key.
     *
     * @param flagKey the flag key, e.g. {@code users-email}
     * @param stage the initial stage, typically {@link Stage#OFF} or {@link Stage#DUAL_WRITE}
     * @param actor who creates it
     * @param reason why, or null
     * @return the new flag at version 1 (or the next version after an earlier deleted flag of that key)
     * @throws FlagAlreadyExistsException when the key exists
     */
    public FlagState createMigrationFlag(String flagKey, Stage stage, String actor, String reason) {
        requireStage(stage);
        return createFlag(flagKey, FlagType.STAGE, stage.flagValue(), actor, reason);
    }

    /**
     * Creates a flag of any type serving {@code variant} to every key.
     *
     * @param flagKey the flag key
     * @param type the type, fixed for the flag's lifetime
     * @param variant the value text: a stage name, {@code true}/{@code false}, an integer, a number, any
     *     string, or a JSON object/array, at most 2000 characters
     * @param actor who creates it
     * @param reason why, or null
     * @throws FlagAlreadyExistsException when the key exists
     */
    public FlagState createFlag(String flagKey, FlagType type, String variant, String actor, String reason) {
        String key = requireFlagKey(flagKey);
        if (type == null) {
            throw new IllegalArgumentException("flag type must not be null");
        }
        String base = Variants.canonical(type, variant, "variant of flag '" + key + "'");
        String who = requireActor(actor);
        String why = optionalReason(reason);
        FlagDefinition def = new FlagDefinition(type, true, base, null, 0.0, null);
        try {
            return published(store.transaction("create flag '" + key + "'", d -> {
                if (store.find(d, key) != null) {
                    throw new FlagAlreadyExistsException(key, tables().flagsTable());
                }
                long version = store.lastAuditedVersion(d, key) + 1;
                Instant now = now();
                store.insert(d, key, def, version, who, now);
                store.insertAudit(d, key, version, FlagAction.CREATE, who, why, now, type, null, def);
                return new FlagState(key, def, version, who, now);
            }));
        } catch (FlagStoreException e) {
            if (e.getCause() instanceof IntegrityConstraintViolationException
                    || isIntegrityViolation(e.getCause())) {
                throw new FlagAlreadyExistsException(key, tables().flagsTable());
            }
            throw e;
        }
    }

    /** The flag, or empty when it does not exist. */
    public Optional<FlagState> find(String flagKey) {
        String key = requireFlagKey(flagKey);
        return Optional.ofNullable(store.run("read flag '" + key + "'", d -> store.find(d, key))).map(this::toState);
    }

    /**
     * The flag.
     *
     * @throws UnknownFlagException when it does not exist
     */
    public FlagState get(String flagKey) {
        return find(flagKey).orElseThrow(() -> new UnknownFlagException(flagKey, tables().flagsTable()));
    }

    /** Every flag, in key order. */
    public List<FlagState> list() {
        List<FlagState> states = new ArrayList<>();
        for (FlagStore.FlagRow row : store.loadAll()) {
            states.add(toState(row));
        }
        return states;
    }

    /**
     * The audit log of a flag, oldest first, including entries from before a delete and re-create.
     *
     * @return the entries; empty when the flag never existed
     */
    public List<FlagAuditEntry> history(String flagKey) {
        String key = requireFlagKey(flagKey);
        return store.run("read the history of flag '" + key + "'", d -> {
            List<FlagAuditEntry> entries = new ArrayList<>();
            for (Record r : store.history(d, key)) {
                entries.add(toEntry(r));
            }
            return entries;
        });
    }

    /**
     * Since when the flag has, without interruption, been enabled and serving {@code stage} to every
     * targeting key (e.g. {@code complete} with no rollout or a 100% rollout), from the audit log.
     *
     * @return the time of the change that started the current uninterrupted period, or empty when the
     *     flag does not currently serve {@code stage} to every key
     */
    public Optional<Instant> servedToEveryKeySince(String flagKey, Stage stage) {
        requireStage(stage);
        return uninterruptedSince(flagKey, definition -> definition.servesEveryKey(stage));
    }

    /**
     * Since when the flag has, without interruption, sent every key's reads to the new column:
     * {@code live}, {@code ramp_down} or {@code complete} for every targeting key (a 100% rollout
     * counts). A disable interrupts the period. This is the contract gate's view of the history.
     */
    @Override
    public Optional<Instant> fullyModernSince(String flagKey) {
        return uninterruptedSince(flagKey, definition -> MODERN_READ_STAGES.stream().anyMatch(definition::servesEveryKey));
    }

    private Optional<Instant> uninterruptedSince(String flagKey, Predicate<FlagDefinition> holds) {
        List<FlagAuditEntry> entries = history(flagKey);
        Instant since = null;
        for (int i = entries.size() - 1; i >= 0; i--) {
            FlagDefinition after = entries.get(i).after();
            if (after == null || !holds.test(after)) {
                break;
            }
            since = entries.get(i).changedAt();
        }
        return Optional.ofNullable(since);
    }

    // ---------------------------------------------------------------- base variant / stage

    /**
     * Sets the base stage of a migration flag (served to keys outside the rollout). Setting it to the
     * rollout stage folds the rollout into the base (the rollout is removed).
     *
     * @param expectedVersion the version the caller read
     * @throws ConcurrentFlagUpdateException when the flag is at another version
     * @throws IllegalArgumentException when the flag is not a migration flag
     */
    public FlagState setStage(String flagKey, long expectedVersion, Stage stage, String actor, String reason) {
        requireStage(stage);
        return change(flagKey, expectedVersion, FlagAction.SET_VARIANT, actor, reason, (key, def) -> {
            requireMigrationFlag(key, def);
            return def.withBaseVariant(stage.flagValue());
        });
    }

    /** {@link #setStage(String, long, Stage, String, String)} at the flag's current version. */
    public FlagState setStage(String flagKey, Stage stage, String actor, String reason) {
        requireStage(stage);
        return setStage(flagKey, currentVersion(flagKey), stage, actor, reason);
    }

    /**
     * Sets the base variant of a flag of any type (for migration flags: a stage name). Setting it to
     * the rollout variant removes the rollout.
     *
     * @throws ConcurrentFlagUpdateException when the flag is at another version
     * @throws IllegalArgumentException when the text is not a valid value of the flag's type
     */
    public FlagState setVariant(String flagKey, long expectedVersion, String variant, String actor, String reason) {
        return change(flagKey, expectedVersion, FlagAction.SET_VARIANT, actor, reason, (key, def) ->
                def.withBaseVariant(Variants.canonical(def.type(), variant, "variant of flag '" + key + "'")));
    }

    /** {@link #setVariant(String, long, String, String, String)} at the flag's current version. */
    public FlagState setVariant(String flagKey, String variant, String actor, String reason) {
        return setVariant(flagKey, currentVersion(flagKey), variant, actor, reason);
    }

    // ---------------------------------------------------------------- rollout

    /**
     * Rolls a migration flag's {@code rolloutStage} out to {@code percentage}% of targeting keys; the
     * others keep the base stage. Keys are bucketed with {@link FractionalBucketing} on
     * {@code flagKey + targetingKey}, rollout share first, so raising the percentage never moves a key
     * out of the rollout.
     *
     * @param percentage 0 to 100 with at most two decimals, e.g. {@code 12.5}
     * @throws IllegalArgumentException when the percentage is out of range, the stage equals the base
     *     stage, or the flag is not a migration flag
     */
    public FlagState setRollout(String flagKey, long expectedVersion, Stage rolloutStage, double percentage,
                                String actor, String reason) {
        requireStage(rolloutStage);
        double pct = requirePercentage(percentage);
        return change(flagKey, expectedVersion, FlagAction.SET_ROLLOUT, actor, reason, (key, def) -> {
            requireMigrationFlag(key, def);
            return withRollout(key, def, rolloutStage.flagValue(), pct);
        });
    }

    /** {@link #setRollout(String, long, Stage, double, String, String)} at the flag's current version. */
    public FlagState setRollout(String flagKey, Stage rolloutStage, double percentage, String actor, String reason) {
        requireStage(rolloutStage);
        requirePercentage(percentage);
        return setRollout(flagKey, currentVersion(flagKey), rolloutStage, percentage, actor, reason);
    }

    /**
     * Rolls a variant of any flag type out to {@code percentage}% of targeting keys.
     *
     * @throws IllegalArgumentException when the percentage is out of range, the text is not a valid
     *     value of the flag's type, or it equals the base variant
     */
    public FlagState setRolloutVariant(String flagKey, long expectedVersion, String rolloutVariant,
                                       double percentage, String actor, String reason) {
        double pct = requirePercentage(percentage);
        return change(flagKey, expectedVersion, FlagAction.SET_ROLLOUT, actor, reason, (key, def) ->
                withRollout(key, def, Variants.canonical(def.type(), rolloutVariant,
                        "rollout variant of flag '" + key + "'"), pct));
    }

    /** {@link #setRolloutVariant(String, long, String, double, String, String)} at the current version. */
    public FlagState setRolloutVariant(String flagKey, String rolloutVariant, double percentage, String actor,
                                       String reason) {
        requirePercentage(percentage);
        return setRolloutVariant(flagKey, currentVersion(flagKey), rolloutVariant, percentage, actor, reason);
    }

    /**
     * Changes the percentage of the flag's existing rollout.
     *
     * @param percentage 0 to 100 with at most two decimals
     * @throws IllegalStateException when the flag has no rollout variant
     */
    public FlagState setRolloutPercentage(String flagKey, long expectedVersion, double percentage, String actor,
                                          String reason) {
        double pct = requirePercentage(percentage);
        return change(flagKey, expectedVersion, FlagAction.SET_ROLLOUT, actor, reason, (key, def) -> {
            if (!def.hasRollout()) {
                throw new IllegalStateException("flag '" + key + "' has no rollout "
                        + (def.type() == FlagType.STAGE ? "stage" : "variant")
                        + " to set a percentage for; set one with setRollout first");
            }
            return def.withRollout(def.rolloutVariant(), pct);
        });
    }

    /** {@link #setRolloutPercentage(String, long, double, String, String)} at the flag's current version. */
    public FlagState setRolloutPercentage(String flagKey, double percentage, String actor, String reason) {
        requirePercentage(percentage);
        return setRolloutPercentage(flagKey, currentVersion(flagKey), percentage, actor, reason);
    }

    /** Removes the rollout: every key gets the base variant. A flag without a rollout is left as it is. */
    public FlagState clearRollout(String flagKey, long expectedVersion, String actor, String reason) {
        return change(flagKey, expectedVersion, FlagAction.CLEAR_ROLLOUT, actor, reason,
                (key, def) -> def.withoutRollout());
    }

    /** {@link #clearRollout(String, long, String, String)} at the flag's current version. */
    public FlagState clearRollout(String flagKey, String actor, String reason) {
        return clearRollout(flagKey, currentVersion(flagKey), actor, reason);
    }

    // ---------------------------------------------------------------- disable / enable / delete

    /**
     * Disables the flag: a migration flag then serves its stages clamped to {@code dual_write}
     * ({@code off} and {@code complete} stay as they are) with reason DISABLED; any other flag serves
     * the caller's default value with reason DISABLED. Disabling a disabled flag replaces its reason.
     *
     * @param reason why; required
     * @throws IllegalArgumentException when the reason is empty
     */
    public FlagState disable(String flagKey, long expectedVersion, String actor, String reason) {
        String why = requireDisableReason(reason);
        return change(flagKey, expectedVersion, FlagAction.DISABLE, actor, why, (key, def) -> def.disabled(why));
    }

    /** {@link #disable(String, long, String, String)} at the flag's current version. */
    public FlagState disable(String flagKey, String actor, String reason) {
        requireDisableReason(reason);
        return disable(flagKey, currentVersion(flagKey), actor, reason);
    }

    /** Enables the flag again and clears its disabled reason; an enabled flag is left as it is. */
    public FlagState enable(String flagKey, long expectedVersion, String actor, String reason) {
        return change(flagKey, expectedVersion, FlagAction.ENABLE, actor, reason, (key, def) -> def.enabledAgain());
    }

    /** {@link #enable(String, long, String, String)} at the flag's current version. */
    public FlagState enable(String flagKey, String actor, String reason) {
        return enable(flagKey, currentVersion(flagKey), actor, reason);
    }

    /**
     * Deletes the flag; its audit log stays, ending with a {@link FlagAction#DELETE} entry, and a
     * flag re-created under the same key continues its version numbers.
     *
     * @throws ConcurrentFlagUpdateException when the flag is at another version
     */
    public void delete(String flagKey, long expectedVersion, String actor, String reason) {
        String key = requireFlagKey(flagKey);
        String who = requireActor(actor);
        String why = optionalReason(reason);
        store.transaction("delete flag '" + key + "'", d -> {
            FlagStore.FlagRow row = lockAndCheck(d, key, expectedVersion);
            FlagState current = toState(row);
            if (store.delete(d, key, expectedVersion) != 1) {
                throw new ConcurrentFlagUpdateException(key, expectedVersion, versionOf(d, key));
            }
            store.insertAudit(d, key, expectedVersion + 1, FlagAction.DELETE, who, why, now(),
                    current.definition().type(), current.definition(), null);
            return null;
        });
        LocalChanges local = localChanges;
        if (local != null) {
            local.deleted(key);
        }
    }

    /** {@link #delete(String, long, String, String)} at the flag's current version. */
    public void delete(String flagKey, String actor, String reason) {
        delete(flagKey, currentVersion(flagKey), actor, reason);
    }

    /**
     * The {@link FlagStateStore} through which Flagway's circuit breaker disables a migration for the
     * whole fleet. Its {@code disable} disables the flag with the given actor and reason (the reason is
     * cut to 1000 characters); a flag that is already disabled keeps its first reason. Concurrent
     * changes are retried a few times; an unknown flag raises {@link UnknownFlagException}.
     */
    public FlagStateStore flagStateStore() {
        return new DatabaseFlagStateStore(this);
    }

    /** Disables unless already disabled, retrying on concurrent changes: the circuit breaker's path. */
    void disableIfEnabled(String flagKey, String actor, String reason) {
        String why = reason == null || reason.isBlank() ? "disabled by " + actor
                : reason.length() > FlagStore.REASON_LENGTH ? reason.substring(0, FlagStore.REASON_LENGTH) : reason;
        ConcurrentFlagUpdateException last = null;
        for (int attempt = 0; attempt < STATE_STORE_ATTEMPTS; attempt++) {
            FlagState state = get(flagKey);
            if (!state.enabled()) {
                return;
            }
            try {
                disable(flagKey, state.version(), actor, why);
                return;
            } catch (ConcurrentFlagUpdateException e) {
                last = e;
            }
        }
        throw last;
    }

    // ---------------------------------------------------------------- FlagWriter (the lifecycle's flag)

    /**
     * The migration flag's position.
     *
     * @throws IllegalArgumentException when the flag is not a migration (stage) flag
     */
    @Override
    public Optional<FlagPosition> read(String flagKey) {
        return find(flagKey).map(state -> position(state.key(), state.definition()));
    }

    /**
     * Sets base stage, rollout and enabled state in one audited change (creating the flag when
     * missing), retrying a few times when another change lands in between.
     *
     * @throws IllegalArgumentException when the flag is not a migration (stage) flag
     * @throws ConcurrentFlagUpdateException when other changes kept landing
     */
    @Override
    public FlagPosition write(String flagKey, FlagPosition target, String actor, String reason) {
        String key = requireFlagKey(flagKey);
        if (target == null) {
            throw new IllegalArgumentException("flag position must not be null");
        }
        ConcurrentFlagUpdateException last = null;
        for (int attempt = 0; attempt < STATE_STORE_ATTEMPTS; attempt++) {
            Optional<FlagState> current = find(key);
            if (current.isEmpty()) {
                try {
                    createMigrationFlag(key, target.base(), actor, reason);
                } catch (FlagAlreadyExistsException e) {
                    // created by another instance at the same moment: move it below
                }
                continue;
            }
            FlagAction action = target.hasRollout() ? FlagAction.SET_ROLLOUT
                    : current.get().definition().hasRollout() ? FlagAction.CLEAR_ROLLOUT : FlagAction.SET_VARIANT;
            try {
                FlagState after = change(key, current.get().version(), action, actor, reason, (k, def) -> {
                    requireMigrationFlag(k, def);
                    FlagDefinition next = def.withoutRollout().withBaseVariant(target.base().flagValue());
                    if (target.hasRollout()) {
                        next = next.withRollout(target.rolloutStage().flagValue(), requirePercentage(target.rolloutPercent()));
                    }
                    if (target.enabled() && !next.enabled()) {
                        next = next.enabledAgain();
                    } else if (!target.enabled()) {
                        next = next.disabled(requireDisableReason(target.disabledReason()));
                    }
                    return next;
                });
                return position(key, after.definition());
            } catch (ConcurrentFlagUpdateException e) {
                last = e;
            }
        }
        throw last != null ? last : new ConcurrentFlagUpdateException(key, -1, -1);
    }

    /** The flag's {@link #history}, each change with the position it left the flag in. */
    @Override
    public List<FlagChange> changes(String flagKey) {
        return history(flagKey).stream().map(e -> new FlagChange(e.changedAt(), e.version(), e.action().name(),
                e.after() == null ? "deleted" : position(e.flagKey(), e.after()).describe(), e.actor(), e.reason()))
                .toList();
    }

    private static FlagPosition position(String key, FlagDefinition def) {
        requireMigrationFlag(key, def);
        Stage base = def.baseStage().orElseThrow(() -> new FlagStoreException("flag '" + key + "' has an unknown base "
                + "stage '" + def.baseVariant() + "'", null));
        Stage rollout = def.hasRollout() ? def.rolloutStage().orElseThrow(() -> new FlagStoreException("flag '" + key
                + "' has an unknown rollout stage '" + def.rolloutVariant() + "'", null)) : null;
        return new FlagPosition(base, rollout, rollout == null ? 0.0 : def.rolloutPercentage(), def.enabled(),
                def.disabledReason());
    }

    // ---------------------------------------------------------------- local changes

    /** Where an admin's changes are served at once: the provider that created it. */
    interface LocalChanges {
        void changed(FlagState state);

        void deleted(String flagKey);
    }

    void serveChangesIn(LocalChanges provider) {
        this.localChanges = provider;
    }

    private FlagState published(FlagState state) {
        LocalChanges local = localChanges;
        if (local != null) {
            local.changed(state);
        }
        return state;
    }

    // ---------------------------------------------------------------- internals

    private interface Change {
        FlagDefinition apply(String key, FlagDefinition current);
    }

    private FlagState change(String flagKey, long expectedVersion, FlagAction action, String actor, String reason,
                             Change change) {
        String key = requireFlagKey(flagKey);
        String who = requireActor(actor);
        String why = optionalReason(reason);
        return published(store.transaction(action.columnValue().replace('_', ' ') + " of flag '" + key + "'", d -> {
            FlagStore.FlagRow row = lockAndCheck(d, key, expectedVersion);
            FlagState current = toState(row);
            FlagDefinition next = change.apply(key, current.definition());
            if (next.equals(current.definition())) {
                return current;
            }
            Instant now = now();
            if (store.update(d, key, expectedVersion, next, who, now) != 1) {
                throw new ConcurrentFlagUpdateException(key, expectedVersion, versionOf(d, key));
            }
            long version = expectedVersion + 1;
            store.insertAudit(d, key, version, action, who, why, now, next.type(), current.definition(), next);
            return new FlagState(key, next, version, who, now);
        }));
    }

    private FlagStore.FlagRow lockAndCheck(org.jooq.DSLContext d, String key, long expectedVersion) {
        FlagStore.FlagRow row = store.lock(d, key);
        if (row == null) {
            throw new UnknownFlagException(key, tables().flagsTable());
        }
        if (row.version() != expectedVersion) {
            throw new ConcurrentFlagUpdateException(key, expectedVersion, row.version());
        }
        return row;
    }

    private long versionOf(org.jooq.DSLContext d, String key) {
        FlagStore.FlagRow row = store.find(d, key);
        return row == null ? -1 : row.version();
    }

    private long currentVersion(String flagKey) {
        return get(flagKey).version();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static FlagDefinition withRollout(String key, FlagDefinition def, String variant, double pct) {
        if (variant.equals(def.baseVariant())) {
            throw new IllegalArgumentException("rollout " + (def.type() == FlagType.STAGE ? "stage" : "variant")
                    + " of flag '" + key + "' must differ from its base " + (def.type() == FlagType.STAGE ? "stage" : "variant")
                    + " '" + Variants.abbreviate(variant) + "'");
        }
        return def.withRollout(variant, pct);
    }

    private static void requireMigrationFlag(String key, FlagDefinition def) {
        if (def.type() != FlagType.STAGE) {
            throw new IllegalArgumentException("flag '" + key + "' is a " + def.type().columnValue()
                    + " flag, not a migration (stage) flag; use setVariant/setRolloutVariant");
        }
    }

    private FlagState toState(FlagStore.FlagRow row) {
        return new FlagState(row.key(), toDefinition(row.key(), row.type(), row.enabled(), row.baseVariant(),
                row.rolloutVariant(), row.rolloutPercent(), row.disabledReason()), row.version(), row.updatedBy(),
                row.updatedAt());
    }

    private FlagAuditEntry toEntry(Record r) {
        String key = r.get(FlagStore.KEY);
        String typeText = r.get(FlagStore.TYPE);
        FlagDefinition before = r.get(FlagStore.OLD_BASE) == null ? null : toDefinition(key, typeText,
                Boolean.TRUE.equals(r.get(FlagStore.OLD_ENABLED)), r.get(FlagStore.OLD_BASE),
                r.get(FlagStore.OLD_ROLLOUT), r.get(FlagStore.OLD_PERCENT), r.get(FlagStore.OLD_DISABLED_REASON));
        FlagDefinition after = r.get(FlagStore.NEW_BASE) == null ? null : toDefinition(key, typeText,
                Boolean.TRUE.equals(r.get(FlagStore.NEW_ENABLED)), r.get(FlagStore.NEW_BASE),
                r.get(FlagStore.NEW_ROLLOUT), r.get(FlagStore.NEW_PERCENT), r.get(FlagStore.NEW_DISABLED_REASON));
        String actionText = r.get(FlagStore.ACTION);
        FlagAction action = FlagAction.fromColumnValue(actionText).orElseThrow(() -> new FlagStoreException(
                "audit row " + key + "@" + r.get(FlagStore.VERSION) + " in " + tables().auditTable()
                        + " has an unknown action '" + actionText + "'", null));
        return new FlagAuditEntry(key, r.get(FlagStore.VERSION), action, r.get(FlagStore.ACTOR), r.get(FlagStore.REASON),
                FlagStore.fromDb(r.get(FlagStore.CHANGED_AT)), before, after);
    }

    private FlagDefinition toDefinition(String key, String typeText, boolean enabled, String base, String rollout,
                                        BigDecimal percent, String disabledReason) {
        FlagType type = FlagType.fromColumnValue(typeText).orElseThrow(() -> new FlagStoreException(
                "flag '" + key + "' in " + tables().flagsTable() + " has an unknown value_type '" + typeText + "'", null));
        double pct = rollout == null || percent == null ? 0.0 : percent.doubleValue();
        try {
            return new FlagDefinition(type, enabled, base, rollout, Math.max(0.0, Math.min(100.0, pct)), disabledReason);
        } catch (IllegalArgumentException e) {
            throw new FlagStoreException("flag '" + key + "' in " + tables().flagsTable() + " is invalid: "
                    + e.getMessage(), e);
        }
    }

    private static boolean isIntegrityViolation(Throwable t) {
        return t instanceof DataAccessException
                && ((DataAccessException) t).sqlStateClass() == org.jooq.exception.SQLStateClass.C23_INTEGRITY_CONSTRAINT_VIOLATION;
    }

    // ---------------------------------------------------------------- argument checks

    static String requireFlagKey(String flagKey) {
        if (flagKey == null || flagKey.isBlank()) {
            throw new IllegalArgumentException("flag key must not be empty");
        }
        if (flagKey.length() > FlagStore.KEY_LENGTH) {
            throw new IllegalArgumentException("flag key '" + Variants.abbreviate(flagKey) + "' is " + flagKey.length()
                    + " characters long; at most " + FlagStore.KEY_LENGTH + " are allowed");
        }
        if (!flagKey.equals(flagKey.strip())) {
            throw new IllegalArgumentException("flag key '" + flagKey + "' must not start or end with whitespace");
        }
        for (int i = 0; i < flagKey.length(); i++) {
            if (Character.isISOControl(flagKey.charAt(i))) {
                throw new IllegalArgumentException("flag key '" + Variants.abbreviate(flagKey)
                        + "' must not contain control characters");
            }
        }
        return flagKey;
    }

    private static String requireActor(String actor) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("actor must not be empty: say who makes the change");
        }
        if (actor.length() > FlagStore.ACTOR_LENGTH) {
            throw new IllegalArgumentException("actor '" + Variants.abbreviate(actor) + "' is " + actor.length()
                    + " characters long; at most " + FlagStore.ACTOR_LENGTH + " are allowed");
        }
        return actor.strip();
    }

    private static String optionalReason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        if (reason.length() > FlagStore.REASON_LENGTH) {
            throw new IllegalArgumentException("reason is " + reason.length() + " characters long; at most "
                    + FlagStore.REASON_LENGTH + " are allowed");
        }
        return reason.strip();
    }

    private static String requireDisableReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("disabling a flag needs a reason: say why, e.g. the error rate that tripped");
        }
        return optionalReason(reason);
    }

    private static void requireStage(Stage stage) {
        if (stage == null) {
            throw new IllegalArgumentException("stage must not be null");
        }
    }

    /**
     * Checks a rollout percentage: finite, 0 to 100, at most two decimal places.
     *
     * @return the percentage rounded to exactly two decimals
     */
    static double requirePercentage(double percentage) {
        if (!(percentage >= 0.0 && percentage <= 100.0)) {
            throw new IllegalArgumentException("rollout percentage must be between 0 and 100 but was " + percentage);
        }
        double hundredths = percentage * 100.0;
        if (Math.abs(hundredths - Math.rint(hundredths)) > 1e-6) {
            throw new IllegalArgumentException("rollout percentage " + percentage
                    + " has more than two decimal places; use e.g. 12.5 or 0.25");
        }
        return Math.rint(hundredths) / 100.0 + 0.0; // + 0.0 turns -0.0 into 0.0
    }

    FlagStore store() {
        return store;
    }
}
