package dev.flagway.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the demo's entry point ({@link MigrationDemo#run}, which {@code main} calls), with what it printed. */
record DemoRun(int exitCode, String out, String err) {

    /** The short configuration the tests use: a few seconds per database. */
    static final String[] SHORT = {"--users", "1000", "--phase-time", "300ms", "--business-cycle", "3s",
        "--blocker-time", "600ms"};

    static DemoRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = MigrationDemo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new DemoRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Like {@link #of}, with the process's own stderr (where libraries log) captured in {@link #err()} too. */
    static DemoRun withProcessStderr(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream processErr = System.err;
        System.setErr(errStream);
        try {
            int exit = MigrationDemo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), errStream);
            return new DemoRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(processErr);
        }
    }

    static String[] shortWith(String... more) {
        String[] args = new String[SHORT.length + more.length];
        System.arraycopy(SHORT, 0, args, 0, SHORT.length);
        System.arraycopy(more, 0, args, SHORT.length, more.length);
        return args;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out ---\n" + out + "\n--- err ---\n" + err;
    }
}
