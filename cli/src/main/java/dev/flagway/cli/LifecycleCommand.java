package dev.flagway.cli;

import dev.flagway.lifecycle.LifecycleState;
import dev.flagway.lifecycle.MigrationLifecycle;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * A command on one declared migration's {@link MigrationLifecycle} (built by {@link MigrationTools});
 * a refused move reaches the exception handler as it is (exit 8, or 7 for a lost race).
 */
abstract class LifecycleCommand extends DatabaseCommand {
    @Parameters(index = "0", paramLabel = "MIGRATION", description = "The migration id of the configuration.")
    String migration;

    @Mixin
    Format format;

    @Override
    final int run(Database db) {
        try (MigrationTools tools = new MigrationTools(db, db.migration(migration))) {
            return run(tools, tools.lifecycle());
        }
    }

    /** The command's work on the lifecycle, with the migration's records at hand; returns the exit code. */
    abstract int run(MigrationTools tools, MigrationLifecycle lifecycle);

    /** Prints the state a move reached: one line for people, or its JSON. */
    void print(String verb, MigrationLifecycle lifecycle, LifecycleState state) {
        if (format.json()) {
            out().println(Json.render(LifecycleOutput.json(state, lifecycle.legalMoves(state))));
        } else {
            out().println(LifecycleOutput.line(verb, state, lifecycle.legalMoves(state)));
        }
    }
}
