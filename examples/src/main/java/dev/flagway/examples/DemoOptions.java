package dev.flagway.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's command line. Every option has a default that runs the whole migration on embedded H2
 * in about a minute; {@link #parse(String[])} refuses anything else with one {@link BadInputException}.
 *
 * @param jdbcUrl the database, or empty for embedded H2
 * @param user the database user (may be empty)
 * @param password the database password (may be empty)
 * @param table the demo's table; its helper tables are named after it
 * @param users rows seeded before the migration starts
 * @param threads traffic threads
 * @param rate requests per second over all traffic threads
 * @param phaseTime how long each traffic phase lasts
 * @param businessCycle how long the flag must serve the new column to every user (from LIVE 100%, with
 *     no fallback) before the legacy column may go; at least twice the phase time and a second, so
 *     that the gate is still shut at complete
 * @param blockerTime how long the long transaction in front of the expand step holds its lock
 * @param report where to write the HTML report, if anywhere
 * @param compareNaive whether to also run the naive migration and print both side by side
 * @param keepTables whether to leave the demo's tables in the database at the end
 * @param partialFault the share of new-column calls that fail at random during LIVE 50%, with the
 *     traffic spread over both instances; 0 for none
 * @param breakerErrorRate the breakers' error-rate threshold, or empty for application.properties' own
 */
record DemoOptions(Optional<String> jdbcUrl, String user, String password, String table, int users, int threads,
                   int rate, Duration phaseTime, Duration businessCycle, Duration blockerTime,
                   Optional<Path> report, boolean compareNaive, boolean keepTables, double partialFault,
                   Optional<Double> breakerErrorRate) {

    static final String USAGE = "usage: MigrationDemo [--jdbc-url URL [--user NAME] [--password SECRET]] "
            + "[--table NAME] [--users N] [--threads N] [--rate N] [--phase-time DURATION] "
            + "[--business-cycle DURATION] [--blocker-time DURATION] [--report FILE.html] [--compare-naive] "
            + "[--keep-tables] [--partial-fault SHARE] [--breaker-error-rate SHARE]";

    private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(ms|s)");
    private static final Pattern SHARE = Pattern.compile("(\\d{1,2}(?:\\.\\d{1,3})?)%|(0?\\.\\d{1,4})");

    /** The defaults: embedded H2, 50,000 users, 4 threads at 800 requests per second, 3 s phases. */
    static DemoOptions defaults() {
        return new DemoOptions(Optional.empty(), "", "", "users", 50_000, 4, 800, Duration.ofSeconds(3),
                Duration.ofSeconds(8), Duration.ofSeconds(4), Optional.empty(), false, false, 0, Optional.empty());
    }

    /**
     * Reads the command line.
     *
     * @throws BadInputException naming the option and what it expects
     */
    static DemoOptions parse(String[] args) {
        Builder b = new Builder(defaults());
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--compare-naive":
                    b.compareNaive = true;
                    continue;
                case "--keep-tables":
                    b.keepTables = true;
                    continue;
                case "--jdbc-url":
                    b.jdbcUrl = Optional.of(jdbcUrl(value(args, i)));
                    break;
                case "--user":
                    b.user = value(args, i);
                    break;
                case "--password":
                    b.password = value(args, i);
                    break;
                case "--table":
                    b.table = table(value(args, i));
                    break;
                case "--users":
                    b.users = number(option, value(args, i), 100, 10_000_000);
                    break;
                case "--threads":
                    b.threads = number(option, value(args, i), 1, 64);
                    break;
                case "--rate":
                    b.rate = number(option, value(args, i), 10, 100_000);
                    break;
                case "--phase-time":
                    b.phaseTime = duration(option, value(args, i));
                    break;
                case "--business-cycle":
                    b.businessCycle = duration(option, value(args, i));
                    break;
                case "--blocker-time":
                    b.blockerTime = duration(option, value(args, i));
                    break;
                case "--report":
                    b.report = Optional.of(report(value(args, i)));
                    break;
                case "--partial-fault":
                    b.partialFault = share(option, value(args, i));
                    break;
                case "--breaker-error-rate":
                    b.breakerErrorRate = Optional.of(share(option, value(args, i)));
                    break;
                default:
                    throw new BadInputException("unknown option '" + option + "'; " + USAGE);
            }
            i++;
        }
        if (b.jdbcUrl.isEmpty() && (!b.user.isEmpty() || !b.password.isEmpty())) {
            throw new BadInputException("--user and --password need --jdbc-url");
        }
        return b.build();
    }

    /** Whether the demo runs on its embedded H2 database. */
    boolean embedded() {
        return jdbcUrl.isEmpty();
    }

    private static String value(String[] args, int optionIndex) {
        if (optionIndex + 1 >= args.length || args[optionIndex + 1].startsWith("--")) {
            throw new BadInputException(args[optionIndex] + " needs a value");
        }
        return args[optionIndex + 1];
    }

    private static String jdbcUrl(String url) {
        if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:mariadb:") && !url.startsWith("jdbc:mysql:")
                && !url.startsWith("jdbc:h2:")) {
            throw new BadInputException("--jdbc-url must be a jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql: or jdbc:h2: "
                    + "URL, not '" + url + "'");
        }
        return url;
    }

    private static String table(String name) {
        if (!TABLE.matcher(name).matches()) {
            throw new BadInputException("--table needs a lower-case SQL name (letters, digits, '_', at most 40), not '"
                    + name + "'");
        }
        return name;
    }

    private static int number(String option, String text, int min, int max) {
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadInputException(String.format(Locale.ROOT, "%s needs a whole number from %,d to %,d, not '%s'",
                option, min, max, text));
    }

    private static Duration duration(String option, String text) {
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration d = m.group(2).equals("ms") ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
            if (d.toMillis() >= 100) {
                return d;
            }
        }
        throw new BadInputException(option + " needs a duration of at least 100ms such as 500ms or 3s, not '" + text + "'");
    }

    /** A share from more than 0 to 50%, written {@code 5%} or {@code 0.05}. */
    private static double share(String option, String text) {
        Matcher m = SHARE.matcher(text);
        if (m.matches()) {
            double share = m.group(1) != null ? Double.parseDouble(m.group(1)) / 100 : Double.parseDouble(m.group(2));
            if (share > 0 && share <= 0.5) {
                return share;
            }
        }
        throw new BadInputException(option + " needs a share above 0 and at most 50%, such as 5% or 0.05, not '" + text
                + "'");
    }

    private static Path report(String file) {
        if (!file.endsWith(".html")) {
            throw new BadInputException("--report needs a file name ending in .html, not '" + file + "'");
        }
        return Path.of(file);
    }

    /** The options being read. */
    private static final class Builder {
        Optional<String> jdbcUrl;
        String user;
        String password;
        String table;
        int users;
        int threads;
        int rate;
        Duration phaseTime;
        Duration businessCycle;
        Duration blockerTime;
        Optional<Path> report;
        boolean compareNaive;
        boolean keepTables;
        double partialFault;
        Optional<Double> breakerErrorRate;

        Builder(DemoOptions o) {
            jdbcUrl = o.jdbcUrl;
            user = o.user;
            password = o.password;
            table = o.table;
            users = o.users;
            threads = o.threads;
            rate = o.rate;
            phaseTime = o.phaseTime;
            businessCycle = o.businessCycle;
            blockerTime = o.blockerTime;
            report = o.report;
            compareNaive = o.compareNaive;
            keepTables = o.keepTables;
            partialFault = o.partialFault;
            breakerErrorRate = o.breakerErrorRate;
        }

        DemoOptions build() {
            Duration shortest = phaseTime.multipliedBy(2).plusSeconds(1);
            if (businessCycle.compareTo(shortest) < 0) {
                throw new BadInputException("--business-cycle must be at least twice --phase-time and a second ("
                        + Formats.duration(shortest) + "), or the contract gate would open before complete; it was "
                        + Formats.duration(businessCycle));
            }
            return new DemoOptions(jdbcUrl, user, password, table, users, threads, rate, phaseTime, businessCycle,
                    blockerTime, report, compareNaive, keepTables, partialFault, breakerErrorRate);
        }
    }
}
