package dev.flagway.contract;

import dev.flagway.Migration;
import dev.flagway.backfill.BackfillState;
import dev.flagway.backfill.Checkpoint;
import dev.flagway.backfill.CheckpointStore;
import dev.flagway.internal.MissingInputs;
import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import dev.flagway.internal.tables.TableSetup;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.schema.AuditEvent;
import dev.flagway.schema.AuditSink;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.schema.StatementOutcome;
import dev.flagway.verify.VerificationLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a migration's legacy column may be dropped, and drops it through the lock-safe
 * executor when it may. Dropping is refused unless all of these hold:
 * <ol>
 *   <li>the flag has served COMPLETE (or 100% modern reads) for at least the business cycle
 *       (default 7 days), according to the {@link FlagHistory};</li>
 *   <li>no fallback was recorded in the {@link FallbackJournal} during that period: the last business
 *       cycle, or, while the fully modern period is shorter than a cycle, since it began (a fault during
 *       an earlier partial rollout does not count against it);</li>
 *   <li>the backfill completed;</li>
 *   <li>no row the backfill could not migrate is unresolved in the {@link BadRowLog} (its legacy
 *       value would be lost);</li>
 *   <li>the last verification taken while the legacy column was still written (up to
 *       {@code ramp_down}) passed; one taken at {@code complete} does not replace it.</li>
 * </ol>
 * A refusal lists every unmet condition with its figures. {@link #forceContract} drops anyway; it
 * needs a reason, which is recorded in the audit sink together with the unmet conditions.
 */
public final class ContractGate {
    private static final Logger LOG = LoggerFactory.getLogger(ContractGate.class);

    private final Migration migration;
    private final FlagHistory flagHistory;
    private final FallbackJournal fallbacks;
    private final CheckpointStore checkpoints;
    private final VerificationLog verifications;
    private final DataSource badRowSource;
    private final BadRowLog badRows;
    private final SchemaExecutor executor;
    private final AuditSink audit;
    private final Duration businessCycle;
    private final Clock clock;

    private ContractGate(Builder b) {
        this.migration = b.migration;
        this.flagHistory = b.flagHistory;
        this.fallbacks = b.fallbacks;
        this.checkpoints = b.checkpoints;
        this.verifications = b.verifications;
        this.badRowSource = b.badRowSource;
        this.badRows = b.badRows;
        this.executor = b.executor;
        this.audit = b.audit;
        this.businessCycle = b.businessCycle;
        this.clock = b.clock;
    }

    /** Starts a gate for {@code migration}; every input but the business cycle and clock is required. */
    public static Builder builder(Migration migration) {
        return new Builder(migration);
    }

    /** Checks every condition without changing anything. */
    public ContractDecision evaluate() {
        Instant now = clock.instant();
        List<String> unmet = new ArrayList<>();
        List<String> met = new ArrayList<>();
        Instant cycleStart = now.minus(businessCycle);

        Optional<Instant> modernSince = flagHistory.fullyModernSince(migration.flagKey());
        // zero fallbacks during the fully modern period that counts: the last cycle, or all of it while shorter
        Instant windowStart = modernSince.filter(since -> since.isAfter(cycleStart)).orElse(cycleStart);
        if (modernSince.isEmpty()) {
            unmet.add("flag '" + migration.flagKey() + "' is not at complete (or 100% modern reads) now");
        } else if (modernSince.get().isAfter(cycleStart)) {
            unmet.add("flag '" + migration.flagKey() + "' has been fully modern since " + modernSince.get() + ", "
                    + Durations.format(Duration.between(modernSince.get(), now).withNanos(0)) + " of the required "
                    + Durations.format(businessCycle));
        } else {
            met.add("flag fully modern since " + modernSince.get());
        }

        long fallbackCount = fallbacks.fallbacksSince(migration.id(), windowStart);
        (fallbackCount == 0 ? met : unmet).add(fallbackCount + " fallbacks to the legacy column recorded since "
                + windowStart + " (zero required)");

        Optional<Checkpoint> checkpoint = checkpoints.load(migration.id());
        if (checkpoint.isEmpty()) {
            unmet.add("the backfill never ran");
        } else if (checkpoint.get().state() != BackfillState.COMPLETED) {
            Checkpoint c = checkpoint.get();
            unmet.add("the backfill is " + c.state() + " after key " + c.lastKey() + " (" + c.rowsDone()
                    + " rows walked), not COMPLETED");
        } else {
            met.add("backfill completed at " + checkpoint.get().finishedAt());
        }

        long unresolved = unresolvedBadRows();
        (unresolved == 0 ? met : unmet).add(unresolved + " rows the backfill could not migrate are unresolved in "
                + badRows.tableName() + " (zero required: resolve them with Backfill.resolveBadRow)");

        Optional<VerificationLog.Entry> verification = verifications.lastWhileLegacyWritten(migration.id());
        if (verification.isEmpty()) {
            unmet.add("the migration was never verified");
        } else if (!verification.get().passed()) {
            unmet.add("the last verification taken while legacy was written, at " + verification.get().verifiedAt() + ", "
                    + verification.get().summary());
        } else {
            met.add("last verification taken while legacy was written, at " + verification.get().verifiedAt() + " " + verification.get().summary());
        }
        return new ContractDecision(migration.id(), unmet, met);
    }

    /**
     * Drops the legacy column when every condition holds.
     *
     * @param actor who asks, for the audit log
     * @throws ContractRefusedException listing every unmet condition
     */
    public List<StatementOutcome> contract(String actor) {
        ContractDecision decision = evaluate();
        if (!decision.allowed()) {
            throw new ContractRefusedException(decision);
        }
        return drop(actor, "contract", String.join("; ", decision.met()));
    }

    /**
     * Drops the legacy column whatever the conditions say, recording the reason and the unmet conditions.
     *
     * @param actor who forces it
     * @param reason why; must not be blank
     */
    public List<StatementOutcome> forceContract(String actor, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a forced contract of migration '" + migration.id() + "' needs a reason");
        }
        ContractDecision decision = evaluate();
        LOG.warn("Forced contract of migration '{}' by {} (reason: {}); unmet conditions: {}", migration.id(), actor,
                reason, decision.unmet());
        return drop(actor, "forced-contract", "reason: " + reason + "; unmet: " + decision.unmet());
    }

    private long unresolvedBadRows() {
        try (Connection c = badRowSource.getConnection()) {
            TableSetup.ensure(badRowSource, c, true, List.of(new Bookkeeping.BadRows(
                    Bookkeeping.name("bad-row table", badRows.tableName())).definition()));
            return badRows.unresolvedCount(c, migration.id());
        } catch (SQLException e) {
            throw new IllegalStateException("bad-row table " + badRows.tableName() + " is not reachable: "
                    + e.getMessage(), e);
        }
    }

    private List<StatementOutcome> drop(String actor, String action, String detail) {
        List<StatementOutcome> outcomes = executor.apply(List.of(
                SchemaOperation.dropColumn(migration.table(), migration.legacyColumn())));
        audit.record(new AuditEvent(clock.instant(), migration.id(), action, actor,
                "dropped " + migration.table() + "." + migration.legacyColumn() + "; " + detail));
        return outcomes;
    }

    /** Builds a {@link ContractGate}. */
    public static final class Builder {
        private final Migration migration;
        private FlagHistory flagHistory;
        private FallbackJournal fallbacks;
        private CheckpointStore checkpoints;
        private VerificationLog verifications;
        private DataSource badRowSource;
        private BadRowLog badRows;
        private SchemaExecutor executor;
        private AuditSink audit;
        private Duration businessCycle = Duration.ofDays(7);
        private Clock clock = Clock.systemUTC();

        private Builder(Migration migration) {
            this.migration = Checks.notNull("migration", migration);
        }

        /** Where the flag's history comes from. */
        public Builder flagHistory(FlagHistory value) {
            this.flagHistory = Checks.notNull("flag history", value);
            return this;
        }

        /** Where fallbacks are counted. */
        public Builder fallbacks(FallbackJournal value) {
            this.fallbacks = Checks.notNull("fallback journal", value);
            return this;
        }

        /** Where the backfill's state is kept. */
        public Builder checkpoints(CheckpointStore value) {
            this.checkpoints = Checks.notNull("checkpoint store", value);
            return this;
        }

        /** Where the last verification is kept. */
        public Builder verifications(VerificationLog value) {
            this.verifications = Checks.notNull("verification log", value);
            return this;
        }

        /** Where the backfill records rows it could not migrate, on the primary {@code dataSource}. */
        public Builder badRows(DataSource dataSource, BadRowLog log) {
            this.badRowSource = Checks.notNull("bad-row data source", dataSource);
            this.badRows = Checks.notNull("bad-row log", log);
            return this;
        }

        /** The lock-safe executor that drops the column. */
        public Builder executor(SchemaExecutor value) {
            this.executor = Checks.notNull("schema executor", value);
            return this;
        }

        /** Where contracts are recorded. */
        public Builder audit(AuditSink value) {
            this.audit = Checks.notNull("audit sink", value);
            return this;
        }

        /** How long the flag must have been fully modern, with zero fallbacks; 7 days by default. */
        public Builder businessCycle(Duration value) {
            this.businessCycle = Checks.positive("contract business-cycle", value);
            return this;
        }

        /** The clock; UTC system clock by default. */
        public Builder clock(Clock value) {
            this.clock = Checks.notNull("clock", value);
            return this;
        }

        /**
         * The gate.
         *
         * @throws IllegalStateException listing every missing input, with what provides it
         */
        public ContractGate build() {
            MissingInputs.of("contract gate of migration '" + migration.id() + "'")
                    .require(flagHistory, "flag history (flagHistory(...): FlagAdmin implements it)")
                    .require(fallbacks, "fallback journal (fallbacks(...): FallbackJournal.start(dataSource) provides it)")
                    .require(checkpoints, "checkpoint store (checkpoints(...): new CheckpointStore(dataSource))")
                    .require(verifications, "verification log (verifications(...): new VerificationLog(dataSource))")
                    .require(badRowSource, "bad-row log (badRows(dataSource, BadRowLog.ofDefaults()))")
                    .require(executor, "schema executor (executor(...): new SchemaExecutor(dataSource, dialect, "
                            + "DdlSettings.ofDefaults()))")
                    .require(audit, "audit sink (audit(...): new JdbcAuditLog(dataSource))")
                    .check();
            return new ContractGate(this);
        }
    }
}
