package dev.flagway.examples;

import dev.flagway.backfill.BackfillListener;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.contract.ContractDecision;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.contract.FlagHistory;
import dev.flagway.verify.VerificationReport;
import java.time.Duration;

/**
 * The schema side of the migration: expand, backfill, repair, verification, the contract gate and
 * the contract. {@link EngineSchemaSteps} uses Flagway's engine and the database's dialect (H2,
 * PostgreSQL); {@link InterimSchemaSteps} stands in on MySQL/MariaDB until {@code flagway-jdbc-mysql}
 * has its dialect.
 */
interface SchemaSteps {

    /** How an expand or contract statement went. */
    record Ddl(String statement, int attempts, Duration elapsed) {
    }

    /**
     * What the contract gate consults besides the schema steps' own records.
     *
     * @param flagHistory since when the flag has served {@code complete} to every user
     * @param fallbacks the fleet's fallback counts
     * @param clock the gate's clock, also stamping the backfill's checkpoints and the verification reports
     * @param businessCycle how long the flag must have been fully modern, on that clock
     */
    record GateInputs(FlagHistory flagHistory, FallbackJournal fallbacks, GateClock clock, Duration businessCycle) {
    }

    /** Adds the new column without queueing the traffic behind a lock for long. */
    Ddl expand() throws Exception;

    /** Fills the new column of rows written before dual writes began, reporting progress after every batch. */
    BackfillResult backfill(BackfillListener progress);

    /** Re-derives the new column of rows whose new-column write failed; returns how many. */
    long drainRepairs();

    /** Compares the two columns over the whole table. */
    VerificationReport verify();

    /** Whether the legacy column may be dropped now, with every unmet condition. */
    ContractDecision evaluateContract();

    /** Drops the legacy column if the gate allows it. */
    Ddl contract(String actor) throws Exception;
}
