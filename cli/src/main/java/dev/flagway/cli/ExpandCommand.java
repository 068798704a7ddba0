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
                "With --not-null: the declared NOT NULL step on the new column, after the backfill is verified.",
                "Exit 8 when the migration is already expanded."})
final class ExpandCommand extends LifecycleCommand {
    @Option(names = "--execute", description = "Run the expand; without it nothing changes.")
    boolean execute;

    @Option(names = "--not-null", description = "Run the declared NOT NULL step on the new column (new-column-not-null"
            + "=true) instead: legal from dual_write to ramp_down after a completed backfill and a passing verification.")
    boolean notNull;

    @Mixin
    AuditOptions audit;

    @Override
    int run(MigrationTools tools, MigrationLifecycle lifecycle) {
        if (!execute) {
            LifecycleState state = lifecycle.state();
            String script = lifecycle.script();
            if (format.json()) {
                Map<String, Object> out = LifecycleOutput.json(state, lifecycle.legalMoves(state));
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
        audit.require(notNull ? "the NOT NULL step" : "an expand", true);
        if (notNull) {
            lifecycle.enforceNotNull(audit.actor(), audit.reason("enforce-not-null"));
            print("enforce-not-null", lifecycle, lifecycle.state());
        } else {
            print("expand", lifecycle, lifecycle.expand(audit.actor(), audit.reason("expand")));
        }
        return ExitCode.OK;
    }
}
