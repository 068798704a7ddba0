package dev.flagway.cli;

/**
 * The exit codes of the {@code flagway} command: stable and distinct, so that a CI/CD pipeline or a
 * script can branch on them. They are listed in {@code flagway --help} and in the README.
 */
public final class ExitCode {
    /** The command did what was asked (lint: every statement is safe; gate: the contract may run). */
    public static final int OK = 0;
    /** An internal error: a bug, or a failure Flagway did not expect (run again with {@code --verbose}). */
    public static final int INTERNAL = 1;
    /** A usage or configuration error: unknown option or migration, bad properties, unreachable database. */
    public static final int USAGE = 2;
    /** Unsafe DDL: {@code lint} found a finding no comment waives, or a change was refused before running. */
    public static final int UNSAFE_DDL = 3;
    /** {@code verify} found rows whose new value does not match the legacy one. */
    public static final int VERIFY_MISMATCH = 4;
    /** {@code gate} refused: at least one contract condition is unmet. */
    public static final int GATE_REFUSED = 5;
    /** A DDL statement gave up after its lock-timeout retries. */
    public static final int LOCK_TIMEOUT = 6;
    /**
     * Another runner holds the migration's lock (e.g. a backfill runs elsewhere), or another operator's
     * lifecycle move won the race against this one (nothing of this one was applied).
     */
    public static final int RUNNER_BUSY = 7;
    /**
     * A lifecycle move is not legal from the migration's phase, or its evidence is missing (e.g.
     * {@code stage complete} from dual_write, {@code backfill} after complete); nothing was changed.
     */
    public static final int ILLEGAL_MOVE = 8;

    /** The list {@code --help} prints, one code a line. */
    static final String HELP = "  0  ok%n"
            + "  1  internal error (run again with --verbose for the stack trace)%n"
            + "  2  usage or configuration error: bad option, unknown migration, bad%n"
            + "     properties file, database unreachable or credentials refused%n"
            + "  3  unsafe DDL found by lint or refused before running%n"
            + "  4  verification found mismatches%n"
            + "  5  the contract gate refused%n"
            + "  6  lock-timeout retries exhausted%n"
            + "  7  another runner holds the migration, or another operator moved it first%n"
            + "  8  illegal lifecycle move: not legal from the phase, or evidence missing";

    private ExitCode() {
    }
}
