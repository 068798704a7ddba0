package dev.flagway.cli;

import dev.flagway.lifecycle.MigrationLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flagway rollback MIGRATION}: back to dual_write (from shadow, live or ramp_down), or with
 * {@code --undo-expand} the expand undone (from expanded or dual_write: flag off, new column dropped,
 * checkpoint reset); through the lifecycle, audited with the actor and reason.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Roll the migration back to dual_write (legacy reads for every key, flag enabled again),",
                "or with --undo-expand undo the expand (flag off, new column dropped) from expanded or dual_write.",
                "Exit 8 when not legal now (e.g. after complete, which is one-way)."})
final class RollbackCommand extends LifecycleCommand {
    @Option(names = "--undo-expand", description = "Undo the expand instead: drop the new column, flag off.")
    boolean undoExpand;

    @Mixin
    MoveOptions move;

    @Override
    int run(MigrationTools tools, MigrationLifecycle lifecycle) {
        print("rollback", lifecycle, undoExpand ? lifecycle.undoExpand(move.actor, move.reason)
                : lifecycle.rollbackToDualWrite(move.actor, move.reason));
        return ExitCode.OK;
    }
}
