package dev.flagway.cli;

import dev.flagway.lifecycle.LifecycleState;
import dev.flagway.lifecycle.MigrationLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flagway rollout start|pause|resume|cap}: the automatic rollout's moves, audited with the actor
 * and reason. The application instances' rollout controllers do the rest (judge the fleet's health,
 * advance after each healthy hold, roll back and halt on a breach); this command only moves. Exit 8
 * when the move is not legal now, 7 when another operator or the controller moved first.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = {"Move the automatic rollout: start (from shadow or live), pause, resume, cap MIGRATION N.",
                "The running applications' controllers advance it after each healthy hold and halt it on a breach.",
                "Exit 8 when the move is not legal now, 7 when another operator or the controller moved first."},
        subcommands = {RolloutCommand.Start.class, RolloutCommand.Pause.class, RolloutCommand.Resume.class,
                RolloutCommand.Cap.class})
final class RolloutCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a rollout move: start, pause, resume or cap");
    }

    /** A rollout move on one migration, with its actor and reason; prints the state reached. */
    abstract static class Move extends LifecycleCommand {
        @Mixin
        MoveOptions move;

        @Override
        final int run(MigrationTools tools, MigrationLifecycle lifecycle) {
            print("rollout " + spec.name(), lifecycle, make(lifecycle));
            return ExitCode.OK;
        }

        abstract LifecycleState make(MigrationLifecycle lifecycle);
    }

    /** {@code rollout start MIGRATION}. */
    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start the automatic rollout of the "
            + "migration's rollout plan (flagway.migrations.<id>.rollout.steps and .rollout.hold): live to its first "
            + "step above the current share, from shadow or live, after a passing verification.")
    static final class Start extends Move {
        @Override
        LifecycleState make(MigrationLifecycle lifecycle) {
            return lifecycle.startRollout(move.actor, move.reason);
        }
    }

    /** {@code rollout pause MIGRATION}. */
    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Hold the running automatic rollout at "
            + "its current share.")
    static final class Pause extends Move {
        @Override
        LifecycleState make(MigrationLifecycle lifecycle) {
            return lifecycle.pauseRollout(move.actor, move.reason);
        }
    }

    /** {@code rollout resume MIGRATION}. */
    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused automatic rollout; "
            + "the current step's hold starts again.")
    static final class Resume extends Move {
        @Override
        LifecycleState make(MigrationLifecycle lifecycle) {
            return lifecycle.resumeRollout(move.actor, move.reason);
        }
    }

    /** {@code rollout cap MIGRATION N}. */
    @Command(name = "cap", mixinStandardHelpOptions = true, description = "Set the highest share (percent, 0 < N "
            + "<= 100) the automatic rollout may reach; 100 removes the cap. A cap below the current share is refused.")
    static final class Cap extends Move {
        @Parameters(index = "1", paramLabel = "N", description = "The cap in percent, 0 < N <= 100.")
        double percent;

        @Override
        LifecycleState make(MigrationLifecycle lifecycle) {
            if (!(percent > 0.0 && percent <= 100.0)) {
                throw CliException.usage("the cap must be a percent with 0 < N <= 100, not " + percent);
            }
            return lifecycle.capRollout(percent, move.actor, move.reason);
        }
    }
}
