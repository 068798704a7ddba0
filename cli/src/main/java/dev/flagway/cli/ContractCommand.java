package dev.flagway.cli;

import dev.flagway.Migration;
import dev.flagway.contract.ContractDecision;
import dev.flagway.contract.ContractGate;
import dev.flagway.contract.ContractRefusedException;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.LockTimeoutExhaustedException;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.schema.StatementOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flagway contract MIGRATION}: drops the legacy column through the contract gate and the
 * lock-safe executor (short lock timeout, bounded retries). A dry run (the gate's decision and the
 * DDL that would run) unless {@code --execute}; executed, it needs {@code --actor}, is refused with
 * every unmet condition (exit 5), and gives up with the blockers named after its lock-timeout
 * retries (exit 6). The gate records the contract in the schema audit.
 */
@Command(name = "contract", mixinStandardHelpOptions = true,
        description = {"Drop the migration's legacy column when the contract gate allows it. A dry run unless --execute.",
                "Exit 5 when the gate refuses (every unmet condition printed), 6 when the lock-timeout retries run out."})
final class ContractCommand extends DatabaseCommand {
    @Parameters(paramLabel = "MIGRATION", description = "The migration id of the configuration.")
    String migration;

    @Option(names = "--execute", description = "Drop the column; without it nothing changes.")
    boolean execute;

    @Mixin
    AuditOptions audit;

    @Option(names = "--business-cycle", paramLabel = "DURATION",
            description = "How long the flag must have been fully modern with zero fallbacks; default: the migration's"
                    + " contract.business-cycle (7d). A declared migration takes it from the --config file only.")
    Duration businessCycle;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "2s",
            description = "How long one attempt may wait for the table's lock; default: ${DEFAULT-VALUE}.")
    Duration lockTimeout;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "10",
            description = "Attempts before giving up on the lock (exit 6); default: ${DEFAULT-VALUE}.")
    int maxAttempts;

    @Mixin
    Format format;

    @Override
    int run(Database db) {
        Migration m = db.migration(migration);
        if (execute) {
            audit.require("a contract", false);
        }
        DdlSettings ddl = DdlSettings.custom().lockTimeout(lockTimeout).onlineLockTimeout(lockTimeout)
                .maxAttempts(maxAttempts).build();
        List<SchemaOperation> drop = List.of(SchemaOperation.dropColumn(m.table(), m.legacyColumn()));
        try (MigrationTools tools = new MigrationTools(db, m)) {
            MigrationLifecycle lifecycle = tools.declared() ? GateCommand.lifecycle(tools, businessCycle, ddl) : null;
            ContractGate gate = lifecycle == null ? tools.gate(businessCycle == null ? m.businessCycle() : businessCycle,
                    ddl) : null;
            if (!execute) {
                ContractDecision decision = lifecycle != null ? lifecycle.gate() : gate.evaluate();
                String script = new SchemaExecutor(db.dataSource(), db.dialect(), ddl).script(drop);
                if (format.json()) {
                    Map<String, Object> out = GateCommand.json(decision);
                    out.put("dryRun", true);
                    out.put("script", script);
                    out().println(Json.render(out));
                } else {
                    out().println("dry run: contract " + m.id() + " would run:");
                    script.lines().forEach(l -> out().println("  " + l));
                    out().println("gate: " + (decision.allowed() ? "contract may run; pass --execute --actor NAME"
                            : "refused"));
                    decision.unmet().forEach(u -> out().println("  unmet: " + u));
                }
                return decision.allowed() ? ExitCode.OK : ExitCode.GATE_REFUSED;
            }
            List<StatementOutcome> outcomes;
            try {
                outcomes = lifecycle != null ? lifecycle.contract(audit.actor(), audit.reason("contract"))
                        : gate.contract(audit.actor());
            } catch (ContractRefusedException e) {
                throw new CliException(ExitCode.GATE_REFUSED, "contract of " + m.id() + " refused: "
                        + String.join("; ", e.decision().unmet()), e);
            } catch (LockTimeoutExhaustedException e) {
                throw new CliException(ExitCode.LOCK_TIMEOUT, "contract of " + m.id() + ": " + e.getMessage(), e);
            }
            if (format.json()) {
                Map<String, Object> out = Json.object();
                out.put("migration", m.id());
                out.put("contracted", true);
                out.put("statements", outcomes.stream().map(o -> {
                    Map<String, Object> s = Json.object();
                    s.put("sql", o.statement().sql());
                    s.put("attempts", o.attempts());
                    s.put("elapsedMillis", o.elapsed());
                    s.put("alreadyApplied", o.alreadyApplied());
                    return s;
                }).toList());
                out().println(Json.render(out));
            } else {
                for (StatementOutcome o : outcomes) {
                    out().println("ran " + o.statement().sql() + " (" + o.attempts() + " attempt"
                            + (o.attempts() == 1 ? "" : "s") + ", " + o.elapsed().toMillis() + " ms"
                            + (o.alreadyApplied() ? ", already applied" : "") + ")");
                }
                out().println("contract " + m.id() + ": dropped " + m.table() + "." + m.legacyColumn()
                        + ", audited as contract by " + audit.actor());
            }
        }
        return ExitCode.OK;
    }
}
