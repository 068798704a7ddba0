package dev.flagway.lifecycle;

import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.routing.Flagway;
import dev.flagway.Migration;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.CheckpointStore;
import dev.flagway.backfill.Transform;
import dev.flagway.contract.ContractGate;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.dialect.Dialect;
import dev.flagway.internal.Checks;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.schema.AuditSink;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.verify.VerificationLog;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jooq.impl.DefaultDataType;

/**
 * Makes the {@link MigrationLifecycle} of each migration a {@link Flagway} instance runs, with every
 * part wired by construction: the flag it moves and whose history the contract gate judges (one
 * {@link FlagWriter}), the fallback journal the gate counts (the one that {@code Flagway} instance
 * feeds; building without it is refused), the backfill's checkpoints and bad rows, the verification
 * history, the lock-safe DDL executor and the audit log. One per application instance; thread-safe.
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
public final class MigrationLifecycles {
    /** The default lifecycle table. */
    public static final String DEFAULT_TABLE = Bookkeeping.LIFECYCLE_TABLE;

    final Flagway flagway;
    final DataSource dataSource;
    final Dialect dialect;
    final FlagWriter flags;
    final FallbackJournal journal;
    final BackfillSettings backfillSettings;
    final SchemaExecutor executor;
    final AuditSink audit;
    final CheckpointStore checkpoints;
    final VerificationLog verificationLog;
    final LifecycleStore store;
    final boolean createTables;
    final Clock clock;
    private final Map<String, List<SchemaOperation>> expandSteps;
    private final Map<String, MigrationLifecycle> lifecycles = new ConcurrentHashMap<>();

    private MigrationLifecycles(Builder b) {
        this.flagway = b.flagway;
        this.dataSource = b.dataSource;
        this.dialect = b.dialect;
        this.flags = b.flags;
        this.journal = fedJournal(b.flagway);
        this.backfillSettings = b.backfillSettings;
        this.createTables = b.createTables == null ? b.flagway.settings().createTables() : b.createTables;
        this.clock = b.clock;
        this.executor = new SchemaExecutor(dataSource, dialect, b.ddlSettings);
        this.audit = new JdbcAuditLog(dataSource, b.auditTable);
        this.checkpoints = new CheckpointStore(dataSource, backfillSettings.checkpointTable());
        this.verificationLog = new VerificationLog(dataSource, b.verificationTable);
        this.store = new LifecycleStore(dataSource, b.lifecycleTable, createTables, clock);
        this.expandSteps = Map.copyOf(b.expandSteps);
        for (String id : expandSteps.keySet()) {
            flagway.migration(id); // an unknown id fails here, naming the known ones
        }
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
        ContractGate gate = ContractGate.builder(migration)
                .flagHistory(flags)
                .fallbacks(journal)
                .checkpoints(checkpoints)
                .verifications(verificationLog)
                .badRows(dataSource, BadRowLog.named(backfillSettings.badRowTable()))
                .executor(executor)
                .audit(audit)
                .businessCycle(migration.businessCycle())
                .clock(clock)
                .build();
        return new MigrationLifecycle(this, migration, expand, transform, gate, verificationLog);
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
        private DdlSettings ddlSettings = DdlSettings.ofDefaults();
        private String verificationTable = VerificationLog.DEFAULT_TABLE;
        private String auditTable = JdbcAuditLog.DEFAULT_TABLE;
        private String lifecycleTable = DEFAULT_TABLE;
        private Boolean createTables;
        private final Map<String, List<SchemaOperation>> expandSteps = new HashMap<>();
        private Clock clock = Clock.systemUTC();

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
