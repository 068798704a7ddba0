package dev.flagway.cli;

import dev.flagway.lifecycle.MigrationLifecycle;
import picocli.CommandLine.Command;

/**
 * {@code flagway runbook MIGRATION}: the Markdown runbook of where a declared migration stands, as the
 * library generates it ({@link MigrationLifecycle#runbook()}), to paste into an incident or change
 * ticket: state with backfill progress and lock blockers, rollback of the current phase, next moves,
 * the evidence the gate judges, flag states and audit trails, the DDL applied and planned, and the
 * server's diagnostic queries for the table. Reads only.
 */
@Command(name = "runbook", mixinStandardHelpOptions = true,
        description = {"The Markdown runbook of a declared migration's current state: flag states and audit trails,",
                "DDL applied, rollback and next commands, the gate's evidence, diagnostic queries. Changes nothing."})
final class RunbookCommand extends LifecycleCommand {
    @Override
    int run(MigrationTools tools, MigrationLifecycle lifecycle) {
        out().print(lifecycle.runbook());
        return ExitCode.OK;
    }
}
