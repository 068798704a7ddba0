package dev.flagway.cli;

import dev.flagway.lifecycle.LifecycleState;
import dev.flagway.lifecycle.MigrationLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flagway stage MIGRATION STAGE [--percent N]}: moves the migration's flag through the
 * lifecycle's guarded moves, audited with the actor and reason. A move the phase does not allow, or
 * whose evidence is missing, exits 8 with the reason and the legal next moves; a move another operator
 * made first exits 7.
 */
@Command(name = "stage", mixinStandardHelpOptions = true,
        description = {"Move the flag through the lifecycle: dual_write, shadow, live (--percent N, default 100),"
                + " ramp_down, complete.",
                "Exit 8 when the move is not legal now (the reason and the legal next moves printed), 7 when another"
                        + " operator moved the migration first."})
final class StageCommand extends LifecycleCommand {
    /** The stages a lifecycle move reaches. */
    enum Target {
        /** {@code startDualWrite}, from expanded. */
        dual_write,
        /** {@code shadow}, from dual_write. */
        shadow,
        /** {@code live(percent)}, from shadow or live. */
        live,
        /** {@code rampDown}, from live at 100%. */
        ramp_down,
        /** {@code complete}, from ramp_down. */
        complete
    }

    @Parameters(index = "1", paramLabel = "STAGE", description = "One of: ${COMPLETION-CANDIDATES}.")
    Target stage;

    @Option(names = "--percent", paramLabel = "N", description = "The share of keys reading the new column at live"
            + " (0 < N <= 100); default: 100.")
    Double percent;

    @Mixin
    MoveOptions move;

    @Override
    int run(MigrationTools tools, MigrationLifecycle lifecycle) {
        if (percent != null && stage != Target.live) {
            throw CliException.usage("--percent applies to stage live only, not " + stage);
        }
        LifecycleState state = switch (stage) {
            case dual_write -> lifecycle.startDualWrite(move.actor, move.reason);
            case shadow -> lifecycle.shadow(move.actor, move.reason);
            case live -> lifecycle.live(percent == null ? 100.0 : percent, move.actor, move.reason);
            case ramp_down -> lifecycle.rampDown(move.actor, move.reason);
            case complete -> lifecycle.complete(move.actor, move.reason);
        };
        print("stage", lifecycle, state);
        return ExitCode.OK;
    }
}
