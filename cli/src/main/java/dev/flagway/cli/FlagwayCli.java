package dev.flagway.cli;

import dev.flagway.config.FlagwayConfigException;
import dev.flagway.contract.ContractRefusedException;
import dev.flagway.internal.Durations;
import dev.flagway.lifecycle.IllegalMoveException;
import dev.flagway.lifecycle.LifecycleConflictException;
import dev.flagway.schema.LockTimeoutExhaustedException;
import dev.flagway.schema.UnsafeOperationException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * The {@code flagway} command: where a migration stands, whether the contract may run, who blocks
 * whom, and SQL files linted, for DBAs, on-call engineers and CI/CD pipelines. Every failure is one
 * line on stderr and a stable {@link ExitCode}; {@code --verbose} adds the stack trace and the
 * library's log.
 *
 * <pre>
 * java -jar flagway.jar status users-email --config application.properties --format json
 * java -jar flagway.jar gate users-email --jdbc-url jdbc:postgresql://db/app --user app
 * java -jar flagway.jar lint --dialect postgres db/migration/*.sql
 * </pre>
 */
@Command(name = "flagway", mixinStandardHelpOptions = true, versionProvider = FlagwayCli.Version.class,
        description = "Zero-downtime column migrations from a shell: status, plan, expand, stage, rollout,"
                + " backfill, verify, gate, contract, rollback, runbook, locks, kill, lint.",
        subcommands = {StatusCommand.class, PlanCommand.class, ExpandCommand.class, StageCommand.class,
                RolloutCommand.class, RollbackCommand.class, RunbookCommand.class, GateCommand.class, VerifyCommand.class, BackfillCommand.class,
                ContractCommand.class,
                LocksCommand.class, KillCommand.class, LintCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n", footer = ExitCode.HELP
                + "%n%nConnection: --jdbc-url, --user, --password; else the environment's"
                + "%nFLAGWAY_JDBC_URL, FLAGWAY_USER, FLAGWAY_PASSWORD; else spring.datasource.*"
                + "%nof the --config file. Passwords are never printed.")
public final class FlagwayCli implements Runnable {
    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print stack traces with errors, and the library's log on stderr.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command");
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        boolean verbose = Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
        configureLogging(verbose);
        maskPasswordsOf(args);
        CommandLine cli = new CommandLine(new FlagwayCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.registerConverter(Duration.class, Durations::parse);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(qualifiedName(ex.getCommandLine()) + ": " + Redactor.redact(oneLine(ex.getMessage()))
                    + " (see " + qualifiedName(ex.getCommandLine()) + " --help)");
            err.flush();
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code = exitCode(ex);
            PrintWriter err = commandLine.getErr();
            err.println(qualifiedName(commandLine) + ": " + message(ex, code, verbose));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        return cli.execute(args);
    }

    /**
     * Registers the password given on the command line or in the environment before parsing, so that
     * even a usage error quoting the arguments (a mistyped option before it) never prints it.
     */
    private static void maskPasswordsOf(String[] args) {
        String password = System.getenv(ConnectionOptions.PASSWORD_ENV);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--password") && i + 1 < args.length && !args[i + 1].startsWith("-")) {
                password = args[i + 1];
            } else if (args[i].startsWith("--password=")) {
                password = args[i].substring("--password=".length());
            }
        }
        Redactor.secret(password);
    }

    /** The exit code of a failure. */
    static int exitCode(Throwable e) {
        if (e instanceof CliException c) {
            return c.exitCode();
        }
        if (e instanceof FlagwayConfigException || e instanceof IllegalArgumentException) {
            return ExitCode.USAGE;
        }
        if (e instanceof UnsafeOperationException) {
            return ExitCode.UNSAFE_DDL;
        }
        if (e instanceof ContractRefusedException) {
            return ExitCode.GATE_REFUSED;
        }
        if (e instanceof LockTimeoutExhaustedException) {
            return ExitCode.LOCK_TIMEOUT;
        }
        if (e instanceof IllegalMoveException) {
            return ExitCode.ILLEGAL_MOVE;
        }
        if (e instanceof LifecycleConflictException) {
            return ExitCode.RUNNER_BUSY;
        }
        return ExitCode.INTERNAL;
    }

    private static String message(Exception e, int code, boolean verbose) {
        String text;
        if (e instanceof FlagwayConfigException c) {
            text = "configuration is invalid: " + String.join("; ", c.problems());
        } else if (code == ExitCode.INTERNAL && !(e instanceof CliException)) {
            text = "internal error: " + e + (verbose ? "" : " (run again with --verbose for the stack trace)");
        } else {
            text = e.getMessage();
        }
        return Redactor.redact(oneLine(text));
    }

    /** {@code text} on one line: line breaks and the blanks around them become {@code ; }. */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static String qualifiedName(CommandLine commandLine) {
        return commandLine.getCommandSpec().qualifiedName();
    }

    /**
     * The library logs through SLF4J: on stderr only with {@code --verbose}, so that a failure stays
     * one line; jOOQ's banner and tips are off.
     */
    private static void configureLogging(boolean verbose) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "off");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FlagwayCli.class.getPackage().getImplementationVersion();
            return new String[] {"flagway " + (v == null ? "(development build)" : v)};
        }
    }
}
