package dev.flagway.cli;

import dev.flagway.routing.Flagway;
import dev.flagway.Migration;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.CheckpointStore;
import dev.flagway.contract.ContractGate;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.lifecycle.MigrationLifecycles;
import dev.flagway.openfeature.FlagAdmin;
import dev.flagway.openfeature.FlagStoreException;
import dev.flagway.openfeature.FlagwayTables;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.verify.VerificationLog;
import dev.flagway.verify.VerifySettings;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The library's records of one migration, in their default tables on the database the command
 * connects to: the flag (through the database-backed provider's {@link FlagAdmin}, with the
 * configured {@code flagway.provider.table-prefix}), the backfill checkpoint, the last verification,
 * the repair and bad-row logs, the fallback journal and the schema audit; and the contract gate over
 * them. What {@code status} and {@code gate} read, built in one place; and, for a migration declared
 * with {@code new-column-type}, its {@link MigrationLifecycle} over the same records, through which
 * every move of the commands goes.
 */
final class MigrationTools implements AutoCloseable {
    private final Database db;
    private final Migration migration;
    private final FlagAdmin flags;
    private final CheckpointStore checkpoints;
    private final VerificationLog verifications;
    private final JdbcAuditLog audit;
    private FallbackJournal fallbacks;
    private Flagway flagway;
    private MigrationLifecycle lifecycle;

    MigrationTools(Database db, Migration migration) {
        this.db = db;
        this.migration = migration;
        this.flags = FlagAdmin.create(db.dataSource(), FlagwayTables.withPrefix(db.settings().provider().tablePrefix()));
        this.checkpoints = new CheckpointStore(db.dataSource());
        this.verifications = new VerificationLog(db.dataSource());
        this.audit = new JdbcAuditLog(db.dataSource());
    }

    Migration migration() {
        return migration;
    }

    FlagAdmin flags() {
        return flags;
    }

    CheckpointStore checkpoints() {
        return checkpoints;
    }

    VerificationLog verifications() {
        return verifications;
    }

    BadRowLog badRows() {
        return BadRowLog.ofDefaults();
    }

    RepairLog repairs() {
        return RepairLog.ofDefaults();
    }

    /** The fleet's fallback counts; started on first use (it sets up its table). */
    synchronized FallbackJournal fallbacks() {
        if (fallbacks == null) {
            fallbacks = FallbackJournal.start(db.dataSource());
        }
        return fallbacks;
    }

    /**
     * Whether the migration is declared for the lifecycle: its {@code new-column-type} is configured,
     * so the lifecycle knows its expand step. Moves of a declared migration go through the lifecycle.
     */
    boolean declared() {
        return migration.newColumnType().isPresent();
    }

    /** The migration's lifecycle with the library's default backfill and DDL settings. */
    MigrationLifecycle lifecycle() {
        return lifecycle(BackfillSettings.ofDefaults(), DdlSettings.ofDefaults());
    }

    /** The migration's lifecycle (see below) whose verifications walk with {@code verify}. */
    MigrationLifecycle lifecycle(VerifySettings verify) {
        return lifecycle(BackfillSettings.ofDefaults(), DdlSettings.ofDefaults(), verify);
    }

    /** The migration's lifecycle (see below) with the default verification settings. */
    MigrationLifecycle lifecycle(BackfillSettings backfill, DdlSettings ddl) {
        return lifecycle(backfill, ddl, VerifySettings.ofDefaults());
    }

    /**
     * The migration's lifecycle, built once per command from the {@code --config} properties (the
     * migration, its transform-sql and business cycle), the connection's dialect and the database-backed
     * provider's {@link FlagAdmin} as the flag it moves and whose history the gate judges.
     *
     * @param backfill the settings of the lifecycle's backfill
     * @param ddl the lock timeout and retries of its DDL
     * @param verify how its verifications walk the table
     * @throws CliException (exit 2) when the migration is not declared for the lifecycle
     */
    private synchronized MigrationLifecycle lifecycle(BackfillSettings backfill, DdlSettings ddl, VerifySettings verify) {
        if (lifecycle == null) {
            if (!declared()) {
                throw CliException.usage("migration '" + migration.id() + "' is not declared for the lifecycle: set "
                        + "flagway.migrations." + migration.id() + ".new-column-type (e.g. varchar(320)) in the --config"
                        + " file so its expand, moves and status can be managed");
            }
            if (db.settings().createTables()) {
                flags.createTables();
            }
            flagway = Flagway.builder().client(OpenFeatureAPI.getInstance().getClient("flagway-cli"))
                    .settings(db.settings()).fallbackListener(fallbacks()).build();
            lifecycle = MigrationLifecycles.builder(flagway, db.dataSource(), db.dialect(), flags)
                    .backfillSettings(backfill).ddlSettings(ddl).verifySettings(verify).background(false) // no traffic
                    .build().lifecycle(migration.id());
        }
        return lifecycle;
    }

    /** The contract gate of the migration, requiring {@code businessCycle} of fully modern reads. */
    ContractGate gate(Duration businessCycle) {
        return gate(businessCycle, DdlSettings.ofDefaults());
    }

    /** The contract gate, dropping the column with {@code ddl}'s lock timeout and retries. */
    ContractGate gate(Duration businessCycle, DdlSettings ddl) {
        return ContractGate.builder(migration)
                .flagHistory(this::fullyModernSince)
                .fallbacks(fallbacks())
                .checkpoints(checkpoints)
                .verifications(verifications)
                .badRows(db.dataSource(), badRows())
                .executor(new SchemaExecutor(db.dataSource(), db.dialect(), ddl))
                .audit(audit)
                .businessCycle(businessCycle)
                .build();
    }

    /**
     * The flag history from the provider's audit table; a flag store that cannot be read (its tables
     * missing: flags kept elsewhere, or another {@code flagway.provider.table-prefix}) is a
     * configuration error, not a gate decision.
     */
    private Optional<Instant> fullyModernSince(String flagKey) {
        try {
            return flags.fullyModernSince(flagKey);
        } catch (FlagStoreException e) {
            throw new CliException(ExitCode.USAGE, "the history of flag '" + flagKey + "' cannot be read from "
                    + flags.tables().flagsTable() + " and " + flags.tables().auditTable() + " (Flagway's database-backed"
                    + " provider, flagway.provider.table-prefix): " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (flagway != null) {
            flagway.close();
        }
        if (fallbacks != null) {
            fallbacks.close();
        }
    }
}
