package dev.flagway.cli;

import dev.flagway.lifecycle.LifecycleState;
import dev.flagway.lifecycle.MigrationLifecycle;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code flagway plan MIGRATION}: the lifecycle's phase, the DDL of its expand, undo-expand and
 * contract, and the legal next moves; changes nothing.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"The migration's phase, its DDL (expand, undo expand, contract) and the legal next moves.",
                "Changes nothing. Needs flagway.migrations.<id>.new-column-type in the --config file."})
final class PlanCommand extends LifecycleCommand {
    @Override
    int run(MigrationTools tools, MigrationLifecycle lifecycle) {
        LifecycleState state = lifecycle.state();
        String script = lifecycle.script();
        if (format.json()) {
            Map<String, Object> out = LifecycleOutput.json(state, lifecycle.legalMoves(state));
            out.put("script", script);
            out().println(Json.render(out));
        } else {
            out().println("plan " + migration + ": phase " + state.describe() + " (version " + state.version() + ")");
            script.lines().forEach(l -> out().println("  " + l));
            out().println("legal next moves: " + LifecycleOutput.moves(lifecycle.legalMoves(state)));
        }
        return ExitCode.OK;
    }
}
