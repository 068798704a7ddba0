package dev.flagway.cli;

import dev.flagway.contract.ContractDecision;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flagway gate MIGRATION}: the contract gate's decision, changing nothing. Exit 0 only when the
 * legacy column may be dropped; otherwise every unmet condition is printed and the exit code is 5, so
 * a CI/CD pipeline can block a deploy on it.
 */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = {"Whether the migration's legacy column may be dropped now, changing nothing.",
                "Exit 0 when every contract condition holds, 5 with every unmet condition otherwise."})
final class GateCommand extends DatabaseCommand {
    @Parameters(paramLabel = "MIGRATION", description = "The migration id of the configuration.")
    String migration;

    @Option(names = "--business-cycle", paramLabel = "DURATION", defaultValue = "7d",
            description = "How long the flag must have been fully modern with zero fallbacks; default: ${DEFAULT-VALUE}.")
    Duration businessCycle;

    @Mixin
    Format format;

    @Override
    int run(Database db) {
        ContractDecision decision;
        try (MigrationTools tools = new MigrationTools(db, db.migration(migration))) {
            decision = tools.gate(businessCycle).evaluate();
        }
        if (format.json()) {
            out().println(Json.render(json(decision)));
        } else {
            out().println("gate " + decision.migrationId() + ": " + (decision.allowed() ? "contract may run"
                    : "refused, " + decision.unmet().size() + " unmet condition" + (decision.unmet().size() == 1 ? "" : "s")));
            decision.unmet().forEach(u -> out().println("  unmet: " + u));
            decision.met().forEach(m -> out().println("  met:   " + m));
        }
        return decision.allowed() ? ExitCode.OK : ExitCode.GATE_REFUSED;
    }

    static Map<String, Object> json(ContractDecision decision) {
        Map<String, Object> out = Json.object();
        out.put("migration", decision.migrationId());
        out.put("allowed", decision.allowed());
        out.put("unmet", decision.unmet());
        out.put("met", decision.met());
        return out;
    }
}
