package dev.flagway.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The README's demo: a column migration ({@code users.email} to {@code users.email_normalized})
 * under live traffic, end to end, on embedded H2 or on the PostgreSQL or MySQL/MariaDB database of
 * {@code --jdbc-url}. It prints each phase as it happens and a final report, optionally writes an
 * HTML report and runs a naive migration for comparison, and exits with
 * <ul>
 *   <li>0 when every promise was kept: no failed request, no wrong answer, no lost write, clean
 *       verifications, no shadow mismatch after verification, a breaker trip on the injected fault,
 *       and a contract refused before its gate and allowed after;</li>
 *   <li>1 when a promise was broken;</li>
 *   <li>2 on bad input (an unknown option, an unreachable database, wrong credentials), with one line on stderr;</li>
 *   <li>3 when the demo itself failed, with one line on stderr.</li>
 * </ul>
 */
public final class MigrationDemo {
    private MigrationDemo() {
    }

    /** Runs the demo; {@code --help} lists the options. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the demo and returns its exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (BadInputException e) {
            err.println("flagway demo: " + e.getMessage());
            return 2;
        }
        try (DemoDatabase database = DemoDatabase.open(options)) {
            return run(database, options, out);
        } catch (BadInputException e) {
            err.println("flagway demo: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("flagway demo: the demo failed: " + e);
            return 3;
        }
    }

    private static int run(DemoDatabase database, DemoOptions options, PrintStream out) throws Exception {
        FlagwayRun flagwayRun = new FlagwayRun(database, options, out);
        NaiveRun naiveRun = new NaiveRun(database, options, out);
        List<String> tables = new ArrayList<>(flagwayRun.tables());
        if (options.compareNaive()) {
            tables.add(naiveRun.tableName());
        }
        for (String table : tables) {
            if (database.tableExists(table)) {
                throw new BadInputException("table " + table + " already exists in " + database.description()
                        + "; choose another name with --table");
            }
        }
        String heading = String.format(Locale.ROOT, "Flagway demo: %s.email -> %s.email_normalized", options.table(),
                options.table());
        String setup = String.format(Locale.ROOT, "%s; %s users, %d traffic threads at %s requests/s, %s per phase",
                database.description(), Formats.count(options.users()), options.threads(), Formats.count(options.rate()),
                Formats.duration(options.phaseTime()));
        out.println(heading + " on " + setup);
        RunResult flagway;
        try {
            flagway = flagwayRun.run();
        } finally {
            if (!options.keepTables()) {
                flagwayRun.dropTables();
            }
        }
        Optional<RunResult> naive = Optional.empty();
        if (options.compareNaive()) {
            try {
                naive = Optional.of(naiveRun.run());
            } finally {
                if (!options.keepTables()) {
                    naiveRun.dropTable();
                }
            }
        }
        ConsoleReport.print(out, flagway, naive);
        if (options.report().isPresent()) {
            HtmlReport.write(options.report().get(), heading, setup, flagway, naive);
            out.println("HTML report: " + options.report().get().toAbsolutePath());
        }
        return flagway.promisesKept() ? 0 : 1;
    }
}
