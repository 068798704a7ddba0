package dev.flagway.bench;

import dev.flagway.bench.db.BackfillBenchmark;
import dev.flagway.bench.db.DbBenchmarks;
import dev.flagway.bench.db.DbResults;
import dev.flagway.bench.db.DbSettings;
import dev.flagway.bench.db.DbTarget;
import dev.flagway.bench.db.ScaleBenchmark;
import dev.flagway.bench.db.VerificationBenchmark;
import dev.flagway.bench.jmh.FlagEvaluationBenchmark;
import dev.flagway.bench.jmh.InterleavedPeers;
import dev.flagway.bench.report.Chart;
import dev.flagway.bench.report.JmhResult;
import dev.flagway.bench.report.MachineInfo;
import dev.flagway.bench.report.Report;
import dev.flagway.bench.report.Results;
import dev.flagway.bench.report.ResultsPage;
import dev.flagway.bench.report.ScaleChart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Runs every benchmark and writes the results page and the chart. From the repository root:
 *
 * <pre>
 * mvn -B -q -Pbench -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/flagway-benchmarks.jar            # everything, quick (about 35 minutes)
 * </pre>
 *
 * Options: {@code --full} (longer runs); {@code --only jmh|db|backfill|peers|verify|scale|report}
 * (db: items 4-7; backfill: item 6; peers: items 8 and 9; verify: item 10; scale: item 11; report:
 * redraw the page and charts from the last run's saved results); a run of only some items replaces
 * only their sections of an existing page;
 * {@code --jmh REGEX} (which JMH benchmarks); {@code --databases postgres,mariadb,mysql8};
 * {@code --backfill-rows N} (default 1,000,000); {@code --verify-rows N} (item 10, default 1,000,000);
 * {@code --scale-rows A,B} (item 11, default {@code 1000000,10000000}); {@code --out DIR} (default {@code docs}: the page
 * {@code benchmark-results.md} and the chart {@code benchmarks.png}); {@code --raw DIR} (default
 * {@code benchmarks/target/bench-results}: JMH's JSON, the JMH results a run without JMH reuses, and
 * the saved results).
 */
public final class BenchmarkMain {
    private BenchmarkMain() {
    }

    /** Runs as the arguments say; see the class comment. */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        boolean full = false;
        String only = "all";
        String jmhInclude = ".*";
        List<String> databases = List.of("postgres", "mariadb", "mysql8");
        Path out = Path.of("docs");
        Path raw = Path.of("benchmarks", "target", "bench-results");
        int backfillRows = 1_000_000;
        int verifyRows = 1_000_000;
        List<Integer> scaleRows = List.of(1_000_000, 10_000_000);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--full" -> full = true;
                case "--quick" -> full = false;
                case "--only" -> only = args[++i];
                case "--jmh" -> jmhInclude = args[++i];
                case "--databases" -> databases = List.of(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                case "--raw" -> raw = Path.of(args[++i]);
                case "--backfill-rows" -> backfillRows = Integer.parseInt(args[++i].replace("_", ""));
                case "--verify-rows" -> verifyRows = Integer.parseInt(args[++i].replace("_", ""));
                case "--scale-rows" -> scaleRows = java.util.Arrays.stream(args[++i].replace("_", "").split(","))
                        .map(Integer::valueOf).toList();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --full, --only jmh|db|backfill|peers|verify|scale|report, --jmh REGEX, --databases a,b,c, "
                        + "--backfill-rows N, --verify-rows N, --scale-rows A,B, --out DIR, --raw DIR");
            }
        }
        Files.createDirectories(raw);
        long start = System.nanoTime();
        Results results = new Results();
        results.machine = MachineInfo.current();
        log("machine: " + results.machine);

        List<JmhSuite.Group> jmhGroups = full ? JmhSuite.full() : JmhSuite.quick();
        Path cache = raw.resolve("jmh-results.tsv");
        if (only.equals("report")) {
            Results saved;
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                    Files.newInputStream(raw.resolve("results.ser")))) {
                saved = (Results) in.readObject();
            }
            // descriptions are text of the harness, not measurements: redraw them with the current wording
            if (!saved.backfill.isEmpty()) {
                saved.backfillSettings = BackfillBenchmark.Settings.standard()
                        .withRows((int) saved.backfill.get(0).rows()).describe();
            }
            if (saved.backfillNotMeasured != null) {
                saved.backfillNotMeasured = saved.backfillNotMeasured.replace(": not measured: ", ": ");
            }
            write(saved, out);
            return;
        }
        if (!List.of("all", "jmh", "db", "backfill", "peers", "verify", "scale").contains(only)) {
            throw new IllegalArgumentException("--only takes jmh, db, backfill, peers, verify, scale or report, not "
                    + only);
        }
        boolean all = only.equals("all");
        boolean runJmh = all || only.equals("jmh") || only.equals("peers");
        boolean runDb = all || only.equals("db");
        boolean runBackfill = runDb || only.equals("backfill");
        boolean runPeers = all || only.equals("peers");
        boolean runVerify = all || only.equals("verify");
        boolean runScale = all || only.equals("scale");
        if (only.equals("peers")) {
            jmhInclude = "LaunchDarkly";
        }
        if (runJmh) {
            log("JMH: " + JmhSuite.describe(jmhGroups));
            List<JmhResult> jmh = JmhSuite.run(jmhGroups, jmhInclude, raw.resolve("jmh-").toString());
            results.jmh.addAll(jmh);
            List<String> lines = new ArrayList<>();
            lines.add("# " + JmhSuite.describe(jmhGroups));
            jmh.forEach(r -> lines.add(r.toTsv()));
            Files.write(cache, lines, StandardCharsets.UTF_8);
            results.jmhSettings = JmhSuite.describe(jmhGroups);
        } else if (runDb && Files.exists(cache)) {
            List<String> lines = Files.readAllLines(cache, StandardCharsets.UTF_8);
            results.jmh.addAll(JmhResult.fromTsv(lines));
            results.jmhSettings = lines.isEmpty() ? "" : lines.get(0).replaceFirst("^# ", "");
            results.jmhFromCache = true;
        }
        if (runJmh || results.jmhFromCache) {
            results.rolloutShares = rolloutShares();
        }

        DbSettings dbSettings = full ? DbSettings.full() : DbSettings.quick();
        results.dbSettings = dbSettings.rows() + " rows; " + dbSettings.warmupMillis() + " ms warm-up, then "
                + dbSettings.reads() + " reads / " + dbSettings.writes() + " writes per variant, variants alternating "
                + "call by call; Hikari pool of 6";
        if (runDb) {
            for (String name : databases) {
                DbTarget target = reachable(name, (db, why) -> {
                    log(db + " skipped: " + why);
                    results.skipped.put(db, why);
                });
                if (target == null) {
                    continue;
                }
                try (DbBenchmarks bench = new DbBenchmarks(target, dbSettings, BenchmarkMain::log)) {
                    DbResults.OnDatabase r = bench.runAll();
                    results.databases.add(r);
                    log(target.name() + ": " + r);
                }
            }
        }
        if (runPeers) {
            results.interleaved.addAll(InterleavedPeers.run(full ? 5_000 : 3_000, full ? 400 : 200, 1_000,
                    BenchmarkMain::log));
            for (String name : databases) {
                DbTarget target = reachable(name, (db, why) -> log(db + " skipped: " + why));
                if (target == null) {
                    continue;
                }
                try (DbBenchmarks bench = new DbBenchmarks(target, dbSettings, BenchmarkMain::log)) {
                    DbResults.PeerFailures p = bench.peers();
                    results.peers.add(p);
                    log(target.name() + ": " + p);
                }
            }
        }
        if (runBackfill) {
            List<String> notMeasured = new ArrayList<>();
            for (String name : databases) {
                DbTarget target = reachable(name, (db, why) -> notMeasured.add(db + ": " + why));
                if (target == null || target.isH2()) {
                    continue;
                }
                BackfillBenchmark.Settings settings = BackfillBenchmark.Settings.standard().withRows(backfillRows);
                results.backfillSettings = settings.describe();
                DbResults.Backfill b = BackfillBenchmark.run(target, settings, BenchmarkMain::log);
                results.backfill.add(b);
                log(target.name() + ": " + b);
            }
            results.backfillNotMeasured = notMeasured.isEmpty() ? null : String.join("; ", notMeasured);
        }

        if (runVerify) {
            for (String name : databases) {
                DbTarget target = reachable(name, (db, why) -> log(db + " skipped: " + why));
                if (target == null || target.isH2()) {
                    continue;
                }
                DbResults.Verification v = VerificationBenchmark.run(target,
                        VerificationBenchmark.Settings.standard().withRows(verifyRows), BenchmarkMain::log);
                results.verification.add(v);
                log(target.name() + ": " + v);
            }
        }

        if (runScale) {
            for (String name : databases) {
                DbTarget target = reachable(name, (db, why) -> log(db + " skipped: " + why));
                if (target == null || target.isH2()) {
                    continue;
                }
                for (DbResults.Scale s : ScaleBenchmark.run(target, scaleRows, BenchmarkMain::log)) {
                    results.scale.add(s);
                    log(target.name() + " " + s.rows() + " rows: backfill " + Math.round(s.backfill().rowsPerSecond())
                            + " rows/s, verification " + Math.round(s.verification().rowsPerSecond()) + " rows/s, heap "
                            + "after GC " + s.backfillHeapAfterGc() / 1024 / 1024 + " / "
                            + s.verifyHeapAfterGc() / 1024 / 1024 + " MiB");
                }
            }
        }

        results.loadAtEnd = MachineInfo.loadAverage();
        results.seconds = (System.nanoTime() - start) / 1e9;
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(
                Files.newOutputStream(raw.resolve("results.ser")))) {
            o.writeObject(results);
        }
        write(results, out);
        // each LaunchDarkly Migration starts a cached thread pool it never shuts down; its idle threads
        // would keep this JVM alive for another minute
        System.exit(0);
    }

    /** The database of that name, or null after telling {@code skipped} (name, reason) why it cannot be measured. */
    private static DbTarget reachable(String name, BiConsumer<String, String> skipped) {
        DbTarget target;
        try {
            target = DbTarget.named(name);
        } catch (IllegalStateException e) {
            skipped.accept(name, "unavailable: " + e.getMessage());
            return null;
        }
        String unreachable = target.unreachableReason();
        if (unreachable != null) {
            skipped.accept(target.name(), "unreachable at " + target.url() + ": " + unreachable);
            return null;
        }
        return target;
    }

    /**
     * Writes the results page and the charts into {@code out}. A run that measured only some items
     * replaces only their sections of an existing page, and redraws only the charts of what it measured.
     */
    private static void write(Results results, Path out) throws java.io.IOException {
        Files.createDirectories(out);
        Path page = out.resolve("benchmark-results.md");
        Report report = new Report(results);
        Set<Integer> measured = report.measuredItems();
        String fresh = report.markdown();
        boolean partial = Files.exists(page) && !measured.containsAll(Set.of(1, 2, 3, 4, 5, 6, 7));
        Files.writeString(page, partial ? ResultsPage.merge(Files.readString(page), fresh, measured) : fresh,
                StandardCharsets.UTF_8);
        log("wrote " + page + (partial ? " (sections " + measured + " only)" : ""));
        if (!partial || measured.stream().anyMatch(item -> item <= 7)) {
            Path png = out.resolve("benchmarks.png");
            new Chart(results).write(png);
            log("wrote " + png);
        }
        if (measured.contains(11)) {
            Path png = out.resolve("benchmarks-scale.png");
            new ScaleChart(results).write(png);
            log("wrote " + png);
        }
        log("the run took " + String.format("%.0f", results.seconds) + " s");
    }

    /** Which keys each provider puts in the 10% rollout (and Flagway/flagd agreement), outside JMH. */
    static double[] rolloutShares() throws Exception {
        FlagEvaluationBenchmark bench = new FlagEvaluationBenchmark();
        bench.setUp();
        try {
            return bench.rolloutShares(10_000);
        } finally {
            bench.tearDown();
        }
    }

    static void log(String message) {
        System.out.println("[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
    }
}
