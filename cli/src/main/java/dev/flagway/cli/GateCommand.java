package dev.flagway.cli;

import dev.flagway.Migration;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.contract.ContractDecision;
import dev.flagway.internal.Durations;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.schema.DdlSettings;
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

    @Option(names = "--business-cycle", paramLabel = "DURATION",
            description = "How long the flag must have been fully modern with zero fallbacks; default: the migration's"
                    + " contract.business-cycle (7d). A declared migration takes it from the --config file only.")
    Duration businessCycle;

    @Mixin
    Format format;

    @Override
    int run(Database db) {
        ContractDecision decision;
        try (MigrationTools tools = new MigrationTools(db, db.migration(migration))) {
            decision = tools.declared() ? lifecycle(tools, businessCycle, DdlSettings.ofDefaults()).gate()
                    : tools.gate(businessCycle == null ? tools.migration().businessCycle() : businessCycle).evaluate();
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

    /**
     * The lifecycle of a declared migration, whose gate judges the business cycle of the configuration:
     * a different {@code --business-cycle} would make {@code gate} and the lifecycle's {@code contract}
     * disagree, so it is refused.
     */
    static MigrationLifecycle lifecycle(MigrationTools tools, Duration businessCycle, DdlSettings ddl) {
        Migration m = tools.migration();
        if (businessCycle != null && !businessCycle.equals(m.businessCycle())) {
            throw CliException.usage("--business-cycle " + Durations.format(businessCycle) + " differs from the "
                    + Durations.format(m.businessCycle()) + " the lifecycle of '" + m.id() + "' judges: set flagway"
                    + ".migrations." + m.id() + ".contract.business-cycle in the --config file instead");
        }
        return tools.lifecycle(BackfillSettings.ofDefaults(), ddl);
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
