package dev.flagway.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that works on the database: connects through {@link ConnectionOptions}, runs, and
 * returns its exit code.
 */
abstract class DatabaseCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        Database db = Database.open(connection);
        int code = run(db);
        out().flush();
        return code;
    }

    /** The command's work on an open database; returns the exit code. */
    abstract int run(Database db);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
