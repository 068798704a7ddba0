package dev.flagway.examples;

import dev.flagway.Migration;
import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillListener;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.CheckpointStore;
import dev.flagway.backfill.Transform;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.contract.FlagHistory;
import dev.flagway.contract.ContractDecision;
import dev.flagway.contract.ContractGate;
import dev.flagway.dialect.Dialect;
import dev.flagway.dialect.HealthSignal;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.schema.StatementOutcome;
import dev.flagway.verify.VerificationLog;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.Verifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The schema side of the migration, with Flagway's engine and the database's dialect: the lock-safe
 * {@link SchemaExecutor} (a short lock wait, retried with backoff, so the traffic never queues behind
 * a waiting ALTER for long), the {@link Backfill} (keyset batches, checkpoints, a rows-per-second cap,
 * health throttling, then the repair drain), the {@link Verifier} and the {@link ContractGate}.
 */
final class SchemaSteps {
    private static final int BACKFILL_ROWS_PER_SECOND = 10_000;
    /**
     * The migration's transform ({@link UsersTable#normalize}) as SQL, so that each backfill batch is one
     * set-based UPDATE; the verification checks every row against the Java transform itself.
     */
    private static final Transform LOWER_TRIM = Transform.sql(legacy -> DSL.lower(DSL.trim(legacy.cast(String.class))));

    private final Migration migration;
    private final DataSource dataSource;
    private final Dialect dialect;
    private final HealthSignal trafficHealth;
    private final BackfillSettings backfillSettings;
    private final VerificationLog verifications;
    private final Clock clock;
    private final ContractGate gate;
    private final SchemaExecutor ddl;

    /** How an expand or contract statement went. */
    record Ddl(String statement, int attempts, Duration elapsed) {
    }

    /**
     * What the contract gate consults besides the steps' own records.
     *
     * @param flagHistory since when the flag has served {@code complete} to every user
     * @param fallbacks the fleet's fallback counts
     * @param clock the gate's clock, also stamping the backfill's checkpoints and the verification reports
     * @param businessCycle how long the flag must have been fully modern, on that clock
     */
    record GateInputs(FlagHistory flagHistory, FallbackJournal fallbacks, GateClock clock, Duration businessCycle) {
    }

    /**
     * @param ddlDataSource the data source DDL runs on: a pool of its own, so that the session settings
     *     of DDL never reach the application's connections (on H2, one that holds requests back meanwhile)
     * @param ddlLockWait how long one DDL attempt may wait for its lock; requests wait at most this long behind it
     * @param trafficHealth a health signal the backfill slows down for, besides the dialect's own
     */
    SchemaSteps(Migration migration, DataSource dataSource, DataSource ddlDataSource, Dialect dialect,
                Duration ddlLockWait, DemoTables tables, GateInputs gateInputs, HealthSignal trafficHealth) {
        this.migration = migration;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.trafficHealth = trafficHealth;
        this.clock = gateInputs.clock();
        this.ddl = new SchemaExecutor(ddlDataSource, dialect, DdlSettings.custom()
                .lockTimeout(ddlLockWait)
                .maxAttempts(100)
                .initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofSeconds(1))
                .build());
        this.backfillSettings = BackfillSettings.custom()
                .maxRowsPerSecond(BACKFILL_ROWS_PER_SECOND)
                .targetBatchDuration(Duration.ofMillis(50))   // short batches hold their row locks briefly
                .maxBatchSize(1_000)
                .checkpointTable(tables.checkpoints())
                .repairTable(tables.repairs())
                .badRowTable(tables.badRows())
                .build();
        this.verifications = new VerificationLog(dataSource, tables.verifications());
        this.gate = ContractGate.builder(migration)
                .flagHistory(gateInputs.flagHistory())
                .fallbacks(gateInputs.fallbacks())
                .checkpoints(new CheckpointStore(dataSource, tables.checkpoints()))
                .verifications(verifications)
                .badRows(dataSource, BadRowLog.named(tables.badRows()))
                .executor(ddl)
                .audit(new JdbcAuditLog(dataSource, tables.schemaAudit()))
                .businessCycle(gateInputs.businessCycle())
                .clock(gateInputs.clock())
                .build();
    }

    /** Adds the new column. */
    Ddl expand() {
        return summary(ddl.apply(List.of(
                SchemaOperation.addColumn(migration.table(), migration.newColumn(), SQLDataType.VARCHAR(320)))));
    }

    /** Fills the new column of rows written before dual writes began, reporting progress after every batch. */
    BackfillResult backfill(BackfillListener progress) {
        return Backfill.builder(migration, dataSource, dialect)
                .settings(backfillSettings)
                .transform(LOWER_TRIM)
                .addHealthSignal(trafficHealth)
                .listener(progress)
                .clock(clock)
                .build()
                .run();
    }

    /** Re-derives the new column of rows whose new-column write failed: a backfill whose walk is complete only drains the repair log. */
    long drainRepairs() {
        return Backfill.builder(migration, dataSource, dialect).settings(backfillSettings).clock(clock).build().run()
                .repairsDrained();
    }

    /** Checks every row's new value against the migration's transform. */
    VerificationReport verify() {
        return Verifier.builder(migration, dataSource, dialect).log(verifications).clock(clock).build().verify();
    }

    /** Whether the legacy column may be dropped now, with every unmet condition. */
    ContractDecision evaluateContract() {
        return gate.evaluate();
    }

    /**
     * Drops the legacy column.
     *
     * @throws dev.flagway.contract.ContractRefusedException listing every unmet condition
     */
    Ddl contract(String actor) {
        return summary(gate.contract(actor));
    }

    private static Ddl summary(List<StatementOutcome> outcomes) {
        StatementOutcome last = outcomes.get(outcomes.size() - 1);
        return new Ddl(last.statement().sql(), outcomes.stream().mapToInt(StatementOutcome::attempts).sum(),
                outcomes.stream().map(StatementOutcome::elapsed).reduce(Duration.ZERO, Duration::plus));
    }
}
