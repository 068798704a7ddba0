package dev.flagway.lifecycle;

import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.routing.Flagway;
import dev.flagway.Migration;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.CheckpointStore;
import dev.flagway.backfill.Transform;
import dev.flagway.contract.ContractGate;
import dev.flagway.config.LifecycleOverrides;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.dialect.Dialect;
import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.Checks;
import dev.flagway.internal.DaemonThreads;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.verify.VerificationLog;
import dev.flagway.verify.VerifySettings;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jooq.impl.DefaultDataType;

/**
 * Makes the {@link MigrationLifecycle} of each migration a {@link Flagway} instance runs, with every
 * part wired by construction: the flag it moves and whose history the contract gate judges (one
 * {@link FlagWriter}), the fallback journal the gate counts (the one that {@code Flagway} instance
 * feeds; building without it is refused), the backfill's checkpoints and bad rows, the verification
 * history, the lock-safe DDL executor and the audit log. One per application instance; thread-safe.
 *
 * <p>It also runs two daemon tasks until {@link #close()}: the {@linkplain FleetHealthPublisher fleet
 * health publisher}, which upserts this instance's per-minute health of every migration to the fleet
 * health table every {@code flagway.fleet-health.interval}, and the {@linkplain RolloutController
 * rollout controller}, which every {@code flagway.rollout.tick} judges the running automatic rollouts
 * (see {@link MigrationLifecycle#startRollout}). Tools that only make moves (the command line) turn
 * them off with {@link Builder#background(boolean)}.
 *
 * <pre>{@code
 * FallbackJournal journal = FallbackJournal.start(dataSource);
 * Flagway flagway = Flagway.builder().client(client).settings(settings).fallbackListener(journal).build();
 * MigrationLifecycles lifecycles = MigrationLifecycles.builder(flagway, dataSource, new PostgresDialect(),
 *         provider.admin()).build();
 * MigrationLifecycle users = lifecycles.lifecycle("users-email");
 * users.expand("ops@example.com", "CHG-1234");
 * }</pre>
 */
public final class MigrationLifecycles implements AutoCloseable {
    /** The default lifecycle table. */
    public static final String DEFAULT_TABLE = Bookkeeping.LIFECYCLE_TABLE;
    /** The default fleet health table. */
    public static final String DEFAULT_FLEET_HEALTH_TABLE = Bookkeeping.FLEET_HEALTH_TABLE;
    /** The shortest silence after which the rollout controller ignores an instance (a slow publish is not one). */
    static final Duration MIN_STALE_AFTER = Duration.ofSeconds(5);

    final Flagway flagway;
    final DataSource dataSource;
    final Dialect dialect;
    final FlagWriter flags;
    final FallbackJournal journal;
    final BackfillSettings backfillSettings;
    final BackfillHealthSignals backfillHealthSignals;
    private final VerifySettings verifySettings;
    final SchemaExecutor executor;
    private final DdlSettings ddlSettings;
    final JdbcAuditLog audit;
    final CheckpointStore checkpoints;
    final VerificationLog verificationLog;
    final LifecycleStore store;
    final boolean createTables;
    final Clock clock;
    final FleetHealthTable fleetHealth;
    final String instanceId;
    /**
     * How long an instance may go without publishing before the controller ignores its breaker state and
     * its lag: two ticks or three publish intervals, at least {@link #MIN_STALE_AFTER}.
     */
    final Duration staleAfter;
    final Duration flagPropagation;
    private final Map<String, List<SchemaOperation>> expandSteps;
    private final Map<String, MigrationLifecycle> lifecycles = new ConcurrentHashMap<>();
    private final ScheduledExecutorService background;

    private MigrationLifecycles(Builder b) {
        this.flagway = b.flagway;
        this.dataSource = b.dataSource;
        this.dialect = b.dialect;
        this.flags = b.flags;
        this.journal = fedJournal(b.flagway);
        this.backfillSettings = b.backfillSettings;
        this.backfillHealthSignals = b.backfillHealthSignals;
        this.verifySettings = b.verifySettings;
        this.createTables = b.createTables == null ? b.flagway.settings().createTables() : b.createTables;
        this.clock = b.clock;
        this.flagPropagation = b.flagPropagation != null ? b.flagPropagation
                : b.flagway.settings().provider().refreshInterval();
        this.ddlSettings = b.ddlSettings;
        this.executor = new SchemaExecutor(dataSource, dialect, ddlSettings);
        this.audit = new JdbcAuditLog(dataSource, b.auditTable);
        this.checkpoints = new CheckpointStore(dataSource, backfillSettings.checkpointTable());
        this.verificationLog = new VerificationLog(dataSource, b.verificationTable);
        this.store = new LifecycleStore(dataSource, b.lifecycleTable, createTables, clock);
        this.expandSteps = Map.copyOf(b.expandSteps);
        for (String id : expandSteps.keySet()) {
            flagway.migration(id); // an unknown id fails here, naming the known ones
        }
        this.fleetHealth = new FleetHealthTable(dataSource, b.fleetHealthTable, createTables);
        this.instanceId = b.instanceId != null ? b.instanceId : defaultInstanceId();
        Duration tick = flagway.settings().rolloutTick();
        Duration publish = flagway.settings().fleetHealthInterval();
        this.staleAfter = max(MIN_STALE_AFTER, max(tick.multipliedBy(2), publish.multipliedBy(3)));
        if (b.background) {
            FleetHealthPublisher publisher = new FleetHealthPublisher(flagway, journal, fleetHealth, instanceId, clock);
            RolloutController controller = new RolloutController(this);
            ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2,
                    DaemonThreads.named("flagway-rollout-" + instanceId + "-"));
            pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            pool.scheduleWithFixedDelay(keepGoing(publisher::publish), 0, publish.toNanos(), TimeUnit.NANOSECONDS);
            pool.scheduleWithFixedDelay(keepGoing(controller::tick), tick.toNanos(), tick.toNanos(),
                    TimeUnit.NANOSECONDS);
            this.background = pool;
        } else {
            this.background = null;
        }
    }

    /**
     * Stops the fleet health publisher and the rollout controller (waiting up to 5 seconds for a
     * publish or tick under way). The lifecycles stay usable for moves.
     */
    @Override
    public void close() {
        if (background == null) {
            return;
        }
        background.shutdown();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** This instance's id in the fleet health table. */
    public String instanceId() {
        return instanceId;
    }

    /** The fleet health table's name. */
    public String fleetHealthTableName() {
        return fleetHealth.tableName();
    }

    /** The controller's judgement of {@code migration}'s current rollout step at {@code now}. */
    RolloutJudgement judge(Migration migration, LifecycleState state, Instant now) {
        Instant since = state.rollout().stepStartedAt() != null ? state.rollout().stepStartedAt() : now;
        return RolloutJudgement.of(flagway.migration(migration.id()).breaker().config(), since,
                fleetHealth.since(migration.id(), since), now, staleAfter);
    }

    /** {@code task}, whose unexpected failure is logged instead of ending its schedule. */
    private static Runnable keepGoing(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(MigrationLifecycles.class).warn("Flagway background task failed; "
                        + "it runs again at its next interval", e);
            }
        };
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** {@code host:pid:random}, e.g. {@code web-1:4242:5f3a9c}. */
    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException e) {
            host = "unknown-host";
        }
        String id = host + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
        return id.length() <= Bookkeeping.INSTANCE_LENGTH ? id : id.substring(id.length() - Bookkeeping.INSTANCE_LENGTH);
    }

    /**
     * Starts a factory.
     *
     * @param flagway the running migrations; it must have been built with a {@link FallbackJournal} as its
     *     {@code fallbackListener}, the journal the contract gate counts
     * @param dataSource the primary
     * @param dialect the database family
     * @param flags the flag store the lifecycle moves, e.g. the OpenFeature provider's {@code admin()}
     */
    public static Builder builder(Flagway flagway, DataSource dataSource, Dialect dialect, FlagWriter flags) {
        return new Builder(flagway, dataSource, dialect, flags);
    }

    /**
     * The lifecycle of migration {@code id}, one instance per id.
     *
     * @throws IllegalArgumentException when the migration is unknown or has no expand steps
     */
    public MigrationLifecycle lifecycle(String id) {
        Migration migration = flagway.migration(id).migration();
        return lifecycles.computeIfAbsent(id, k -> create(migration));
    }

    /** The backfill settings of migration {@code id}'s lifecycle: the factory's with its {@code backfill.*} applied. */
    BackfillSettings backfillSettings(String id) {
        return LifecycleOverrides.backfill(backfillSettings, flagway.migration(id).migration());
    }

    /** The verification settings of migration {@code id}'s lifecycle: the factory's with its {@code verify.*} applied. */
    VerifySettings verifySettings(String id) {
        return LifecycleOverrides.verify(verifySettings, flagway.migration(id).migration());
    }

    /** The lifecycle table's name. */
    public String tableName() {
        return store.tableName();
    }

    private MigrationLifecycle create(Migration migration) {
        List<SchemaOperation> expand = expandSteps.get(migration.id());
        if (expand == null) {
            expand = migration.newColumnType().map(type -> derivedExpand(migration, type))
                    .orElseThrow(() -> new IllegalArgumentException("migration '" + migration.id() + "' has no expand "
                            + "steps: declare flagway.migrations." + migration.id() + ".new-column-type (e.g. "
                            + "varchar(320)), or give them with MigrationLifecycles.Builder.expand(\"" + migration.id()
                            + "\", SchemaOperation.addColumn(...))"));
        }
        Transform transform = Transform.of(migration);
        SchemaExecutor migrationExecutor = migration.lifecycleSettings().isEmpty() ? executor
                : new SchemaExecutor(dataSource, dialect, LifecycleOverrides.ddl(ddlSettings, migration));
        backfillSettings(migration.id()); // a misfit backfill.* or verify.* setting fails here, naming the keys
        verifySettings(migration.id());
        ContractGate gate = ContractGate.builder(migration)
                .flagHistory(flags)
                .fallbacks(journal)
                .checkpoints(checkpoints)
                .verifications(verificationLog)
                .badRows(dataSource, BadRowLog.named(backfillSettings.badRowTable()))
                .executor(migrationExecutor)
                .audit(audit)
                .businessCycle(migration.businessCycle())
                .clock(clock)
                .build();
        return new MigrationLifecycle(this, migration, expand, transform, gate, verificationLog, migrationExecutor);
    }

    /** The new column with its declared type, and its index when asked for. */
    private List<SchemaOperation> derivedExpand(Migration migration, String type) {
        SchemaOperation column = SchemaOperation.addColumn(migration.table(), migration.newColumn(),
                DefaultDataType.getDataType(dialect.sqlDialect(), type));
        if (!migration.newColumnIndex()) {
            return List.of(column);
        }
        String index = migration.tableName().last() + "_" + migration.newColumn() + "_idx";
        return List.of(column, SchemaOperation.createIndex(migration.table(), index, migration.newColumn()));
    }

    private static FallbackJournal fedJournal(Flagway flagway) {
        return flagway.fallbackListener().stream().flatMap(listener -> listener.members().stream())
                .filter(FallbackJournal.class::isInstance).map(FallbackJournal.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("the Flagway instance does not feed a FallbackJournal, so "
                        + "the contract gate would count zero fallbacks whatever happens: build it with "
                        + "fallbackListener(FallbackJournal.start(dataSource))"));
    }

    /** Builds {@link MigrationLifecycles}. */
    public static final class Builder {
        private final Flagway flagway;
        private final DataSource dataSource;
        private final Dialect dialect;
        private final FlagWriter flags;
        private BackfillSettings backfillSettings = BackfillSettings.ofDefaults();
        private BackfillHealthSignals backfillHealthSignals = BackfillHealthSignals.none();
        private VerifySettings verifySettings = VerifySettings.ofDefaults();
        private DdlSettings ddlSettings = DdlSettings.ofDefaults();
        private String verificationTable = VerificationLog.DEFAULT_TABLE;
        private String auditTable = JdbcAuditLog.DEFAULT_TABLE;
        private String lifecycleTable = DEFAULT_TABLE;
        private String fleetHealthTable = DEFAULT_FLEET_HEALTH_TABLE;
        private String instanceId;
        private boolean background = true;
        private Boolean createTables;
        private final Map<String, List<SchemaOperation>> expandSteps = new HashMap<>();
        private Clock clock = Clock.systemUTC();
        private Duration flagPropagation;

        private Builder(Flagway flagway, DataSource dataSource, Dialect dialect, FlagWriter flags) {
            this.flagway = Checks.notNull("flagway", flagway);
            this.dataSource = Checks.notNull("data source", dataSource);
            this.dialect = Checks.notNull("dialect", dialect);
            this.flags = Checks.notNull("flag writer", flags);
        }

        /** The backfill's settings (and its checkpoint, repair and bad-row tables). */
        public Builder backfillSettings(BackfillSettings value) {
            this.backfillSettings = Checks.notNull("backfill settings", value);
            return this;
        }

        /**
         * Health signals each backfill run watches on top of the dialect's defaults, made afresh for every
         * run, e.g. {@link BackfillHealthSignals#applicationLatency} over the application's request timers;
         * {@link BackfillHealthSignals#none()} by default (the Spring Boot starter sets the application
         * latency one when there is a {@code MeterRegistry}).
         */
        public Builder backfillHealthSignals(BackfillHealthSignals value) {
            this.backfillHealthSignals = Checks.notNull("backfill health signals", value);
            return this;
        }

        /**
         * How each verification walks the table (a migration's {@code verify.*} properties override
         * them); {@link VerifySettings#ofDefaults()} by default.
         */
        public Builder verifySettings(VerifySettings value) {
            this.verifySettings = Checks.notNull("verify settings", value);
            return this;
        }

        /** The DDL executor's settings. */
        public Builder ddlSettings(DdlSettings value) {
            this.ddlSettings = Checks.notNull("DDL settings", value);
            return this;
        }

        /** The verification table (its history is {@code <table>_history}); {@value VerificationLog#DEFAULT_TABLE} by default. */
        public Builder verificationTable(String value) {
            this.verificationTable = Checks.notNull("verification table", value);
            return this;
        }

        /** The audit table; {@value JdbcAuditLog#DEFAULT_TABLE} by default. */
        public Builder auditTable(String value) {
            this.auditTable = Checks.notNull("audit table", value);
            return this;
        }

        /** The lifecycle table; {@value #DEFAULT_TABLE} by default. */
        public Builder lifecycleTable(String value) {
            this.lifecycleTable = Checks.notNull("lifecycle table", value);
            return this;
        }

        /** The fleet health table; {@value #DEFAULT_FLEET_HEALTH_TABLE} by default. */
        public Builder fleetHealthTable(String value) {
            this.fleetHealthTable = Checks.notNull("fleet health table", value);
            return this;
        }

        /**
         * This instance's id in the fleet health table (at most 200 characters); {@code host:pid:random}
         * by default.
         */
        public Builder instanceId(String value) {
            Checks.notNull("instance id", value);
            if (value.isBlank() || value.length() > Bookkeeping.INSTANCE_LENGTH) {
                throw new IllegalArgumentException("instance id must be 1 to " + Bookkeeping.INSTANCE_LENGTH
                        + " characters, not blank, but was '" + value + "'");
            }
            this.instanceId = value;
            return this;
        }

        /**
         * Whether this instance publishes its health and runs a rollout controller (true by default);
         * false for tools that only make moves, such as the command line, which serve no traffic.
         */
        public Builder background(boolean value) {
            this.background = value;
            return this;
        }

        /** Whether a missing lifecycle table is created; {@code flagway.tables.create} of the Flagway settings by default. */
        public Builder createTables(boolean value) {
            this.createTables = value;
            return this;
        }

        /**
         * The expand steps of a migration (the new column first), reversed by undo-expand; by default the
         * new column added with its declared {@code new-column-type}.
         */
        public Builder expand(String migrationId, SchemaOperation... steps) {
            Checks.notNull("migration id", migrationId);
            if (steps.length == 0) {
                throw new IllegalArgumentException("migration '" + migrationId + "' needs at least one expand step");
            }
            expandSteps.put(migrationId, List.of(steps));
            return this;
        }

        /**
         * How long a flag change may take to reach every instance: a backfill started right after
         * {@code start-dual-write} first waits this long from that move (refused when more than a minute of
         * it is left), so no instance still writing legacy only can write a row behind it. By default
         * {@code flagway.provider.refresh-interval} of the Flagway settings (1s); zero when every instance
         * reads the flag store directly.
         */
        public Builder flagPropagation(Duration value) {
            Checks.notNull("flag propagation", value);
            if (value.isNegative()) {
                throw new IllegalArgumentException("flag propagation must not be negative but was " + value);
            }
            this.flagPropagation = value;
            return this;
        }

        /** The clock; UTC system clock by default. */
        public Builder clock(Clock value) {
            this.clock = Checks.notNull("clock", value);
            return this;
        }

        /**
         * The factory.
         *
         * @throws IllegalStateException when the Flagway instance does not feed a fallback journal
         * @throws IllegalArgumentException when an expand step names an unknown migration
         */
        public MigrationLifecycles build() {
            return new MigrationLifecycles(this);
        }
    }
}
