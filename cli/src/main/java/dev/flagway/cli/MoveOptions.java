package dev.flagway.cli;

import picocli.CommandLine.Option;

/** Who makes a lifecycle move and why: both required and recorded in the audit table with the move. */
final class MoveOptions {
    @Option(names = "--actor", paramLabel = "NAME", required = true, description = "Who makes the move (audited).")
    String actor;

    @Option(names = "--reason", paramLabel = "TEXT", required = true,
            description = "Why, e.g. a change ticket (audited).")
    String reason;

    /** The default actor of a command whose {@code --actor} is optional: the OS user running it. */
    static String operator() {
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "flagway-cli" : user;
    }
}
