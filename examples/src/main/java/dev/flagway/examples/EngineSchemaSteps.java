package dev.flagway.examples;

import dev.flagway.Migration;
import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillListener;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.CheckpointStore;
import dev.flagway.backfill.Transform;
import dev.flagway.contract.ContractDecision;
import dev.flagway.contract.ContractGate;
import dev.flagway.dialect.Dialect;
import dev.flagway.dialect.HealthSignal;
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
 * The schema steps with Flagway's engine: the lock-safe {@link SchemaExecutor} (a short lock timeout,
 * retried with backoff, so the traffic never queues behind a waiting ALTER for long), the
 * {@link Backfill} (keyset batches, checkpoints, a rows-per-second cap, health throttling, then the
 * repair drain), the {@link dev.flagway.verify.Verifier} and the {@link ContractGate}.
 */
final class EngineSchemaSteps implements SchemaSteps {
    /** How long one DDL attempt may wait for its lock; the traffic waits at most this long behind it. */
    static final Duration DDL_LOCK_TIMEOUT = Duration.ofMillis(100);
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

    /**
     * @param ddlDataSource the data source DDL runs on (on H2, one that holds requests back meanwhile)
     * @param trafficHealth a health signal the backfill slows down for, besides the dialect's own
     */
    EngineSchemaSteps(Migration migration, DataSource dataSource, DataSource ddlDataSource, Dialect dialect,
                      DemoTables tables, GateInputs gateInputs, HealthSignal trafficHealth) {
        this.migration = migration;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.trafficHealth = trafficHealth;
        this.clock = gateInputs.clock();
        this.ddl = new SchemaExecutor(ddlDataSource, dialect, DdlSettings.builder()
                .lockTimeout(DDL_LOCK_TIMEOUT)
                .maxAttempts(100)
                .initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofSeconds(1))
                .build());
        this.backfillSettings = BackfillSettings.builder()
                .maxRowsPerSecond(BACKFILL_ROWS_PER_SECOND)
                .targetBatchDuration(Duration.ofMillis(50))   // short batches hold their row locks briefly
                .maxBatchSize(1_000)
                .checkpointTable(tables.checkpoints())
                .repairTable(tables.repairs())
                .build();
        this.verifications = new VerificationLog(dataSource, tables.verifications());
        this.gate = ContractGate.builder(migration)
                .flagHistory(gateInputs.flagHistory())
                .fallbacks(gateInputs.fallbacks())
                .checkpoints(new CheckpointStore(dataSource, tables.checkpoints()))
                .verifications(verifications)
                .executor(ddl)
                .audit(new JdbcAuditLog(dataSource, tables.schemaAudit()))
                .businessCycle(gateInputs.businessCycle())
                .clock(gateInputs.clock())
                .build();
    }

    @Override
    public Ddl expand() {
        return summary(ddl.apply(List.of(
                SchemaOperation.addColumn(migration.table(), migration.newColumn(), SQLDataType.VARCHAR(320)))));
    }

    @Override
    public BackfillResult backfill(BackfillListener progress) {
        return Backfill.builder(migration, dataSource, dialect)
                .settings(backfillSettings)
                .transform(LOWER_TRIM)
                .addHealthSignal(trafficHealth)
                .listener(progress)
                .clock(clock)
                .build()
                .run();
    }

    /** A backfill whose walk is complete only drains the repair log. */
    @Override
    public long drainRepairs() {
        return Backfill.builder(migration, dataSource, dialect).settings(backfillSettings).clock(clock).build().run()
                .repairsDrained();
    }

    @Override
    public VerificationReport verify() {
        return Verifier.builder(migration, dataSource, dialect).log(verifications).clock(clock).build().verify();
    }

    @Override
    public ContractDecision evaluateContract() {
        return gate.evaluate();
    }

    @Override
    public Ddl contract(String actor) {
        return summary(gate.contract(actor));
    }

    private static Ddl summary(List<StatementOutcome> outcomes) {
        StatementOutcome last = outcomes.get(outcomes.size() - 1);
        return new Ddl(last.statement().sql(), outcomes.stream().mapToInt(StatementOutcome::attempts).sum(),
                outcomes.stream().map(StatementOutcome::elapsed).reduce(Duration.ZERO, Duration::plus));
    }
}
