package dev.flagway.cli;

import dev.flagway.lifecycle.LifecycleState;
import dev.flagway.lifecycle.MigrationLifecycle;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flagway expand MIGRATION}: a dry run printing the lifecycle's script unless {@code --execute}
 * runs the expand move (the new column through the lock-safe executor, the flag created at off),
 * audited with {@code --actor} and {@code --reason}.
 */
@Command(name = "expand", mixinStandardHelpOptions = true,
        description = {"Add the new column (and its index if declared) and create the flag at off. A dry run unless --execute.",
                "Exit 8 when the migration is already expanded."})
final class ExpandCommand extends LifecycleCommand {
    @Option(names = "--execute", description = "Run the expand; without it nothing changes.")
    boolean execute;

    @Mixin
    AuditOptions audit;

    @Override
    int run(MigrationTools tools, MigrationLifecycle lifecycle) {
        if (!execute) {
            LifecycleState state = lifecycle.state();
            String script = lifecycle.script();
            if (format.json()) {
                Map<String, Object> out = LifecycleOutput.json(state);
                out.put("dryRun", true);
                out.put("script", script);
                out().println(Json.render(out));
            } else {
                out().println("dry run: expand " + migration + " (now " + state.describe() + ") would run:");
                script.lines().forEach(l -> out().println("  " + l));
                out().println("nothing changed; pass --execute --actor NAME --reason TEXT to run it");
            }
            return ExitCode.OK;
        }
        audit.require("an expand", true);
        print("expand", lifecycle.expand(audit.actor(), audit.reason("expand")));
        return ExitCode.OK;
    }
}
