package dev.flagway.cli;

/**
 * A failure the command reports as one line on stderr with its {@link ExitCode}; the message is
 * meant for the operator and never holds a password.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** A failure with its exit code. */
    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A failure with its exit code and the error behind it (shown with {@code --verbose}). */
    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The process exit code, one of {@link ExitCode}'s. */
    public int exitCode() {
        return exitCode;
    }

    /** A usage or configuration error (exit 2). */
    static CliException usage(String message) {
        return new CliException(ExitCode.USAGE, message);
    }
}
