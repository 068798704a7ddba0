package dev.flagway.cli;

import picocli.CommandLine.Option;

/**
 * Who runs a command that changes the schema or the data, and why, for the audit table: optional
 * (the OS user and the command's name by default) except where {@link #require} says otherwise.
 */
final class AuditOptions {
    @Option(names = "--actor", paramLabel = "NAME", description = "Who runs it (audited); default: the OS user.")
    String actor;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, e.g. a change ticket (audited); default:"
            + " the command's name.")
    String reason;

    /** The actor given, or the OS user. */
    String actor() {
        return given(actor) ? actor : MoveOptions.operator();
    }

    /** The reason given, or {@code flagway COMMAND}. */
    String reason(String command) {
        return given(reason) ? reason : "flagway " + command;
    }

    /**
     * Refuses to run without the options named.
     *
     * @param what e.g. {@code "an expand"}
     * @param withReason whether {@code --reason} is required too
     */
    void require(String what, boolean withReason) {
        if (!given(actor) || withReason && !given(reason)) {
            throw CliException.usage("--execute needs --actor" + (withReason ? " and --reason" : "") + ": " + what
                    + " is audited");
        }
    }

    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }
}
