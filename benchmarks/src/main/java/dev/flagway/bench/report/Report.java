package dev.flagway.bench.report;

import dev.flagway.bench.db.DbResults;
import dev.flagway.bench.db.Latencies.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns {@link Results} into the derived figures (Flagway's own share, ratios) and the Markdown of
 * {@code docs/benchmark-results.md}. Every ratio is between two numbers of the same run.
 */
public final class Report {
    static final String ROUTING = "RoutingBenchmark";
    static final String EVALUATION = "FlagEvaluationBenchmark";
    static final String BREAKER = "BreakerBenchmark";
    /** Below this, a B/op figure counts as zero (JMH's normalisation leaves crumbs of background allocation). */
    static final double ZERO_BYTES = 0.5;

    private final Results results;

    /** A report of {@code results}. */
    public Report(Results results) {
        this.results = results;
    }

    // ------------------------------------------------------------------ item 1

    /**
     * One routed call, with Flagway's own share: its time and allocation minus the direct call(s) it
     * replaces and minus the OpenFeature evaluation it makes.
     *
     * @param label what is routed
     * @param routed the routed call's result
     * @param baseline the direct call(s) it replaces
     * @param shareNanos Flagway's own share of the time
     * @param shareError the share's error (the three errors added in quadrature)
     * @param shareBytes Flagway's own share of the allocation
     */
    public record RoutingRow(String label, JmhResult routed, JmhResult baseline, double shareNanos, double shareError,
                             double shareBytes) {
        /** Routed over direct. */
        public double ratio() {
            return routed.score() / baseline.score();
        }
    }

    /** Item 1's rows, in a fixed order; empty when the routing benchmarks were not run. */
    public List<RoutingRow> routingRows() {
        List<RoutingRow> rows = new ArrayList<>();
        Optional<JmhResult> read = results.jmh(ROUTING, "baseline_directRead");
        Optional<JmhResult> write = results.jmh(ROUTING, "baseline_directWrite");
        Optional<JmhResult> both = results.jmh(ROUTING, "baseline_directWriteBoth");
        Optional<JmhResult> of = results.jmh(ROUTING, "baseline_openFeatureEvaluation");
        if (read.isEmpty() || write.isEmpty() || both.isEmpty() || of.isEmpty()) {
            return rows;
        }
        String[][] plan = {
                {"proxyRead_off", "proxy read, off", "r"},
                {"proxyRead_dualWrite", "proxy read, dual_write", "r"},
                {"proxyRead_shadow", "proxy read, shadow", "r"},
                {"proxyRead_live", "proxy read, live", "r"},
                {"proxyRead_rampDown", "proxy read, ramp_down", "r"},
                {"proxyRead_complete", "proxy read, complete", "r"},
                {"proxyWrite_off", "proxy write, off", "w"},
                {"proxyWrite_dualWrite", "proxy write, dual_write", "b"},
                {"proxyWrite_complete", "proxy write, complete", "w"},
                {"lambdaRead_off", "lambda read, off", "r"},
                {"lambdaRead_live", "lambda read, live", "r"},
                {"lambdaWrite_dualWrite", "lambda write, dual_write", "b"},
        };
        for (String[] p : plan) {
            Optional<JmhResult> routed = results.jmh(ROUTING, p[0]);
            if (routed.isEmpty()) {
                continue;
            }
            JmhResult base = p[2].equals("r") ? read.get() : p[2].equals("w") ? write.get() : both.get();
            JmhResult r = routed.get();
            JmhResult e = of.get();
            rows.add(new RoutingRow(p[1], r, base, r.score() - base.score() - e.score(),
                    Math.sqrt(sq(r.error()) + sq(base.error()) + sq(e.error())),
                    r.allocBytes() - base.allocBytes() - e.allocBytes()));
        }
        return rows;
    }

    /**
     * Flagway alone: a routed call with a client that answers at no cost, minus the direct call(s).
     *
     * @param label what is routed
     * @param routed the routed call's result
     * @param baseline the direct call(s) it replaces
     * @param shareNanos Flagway's own time
     * @param shareError its error (both errors in quadrature)
     * @param shareBytes Flagway's own allocation
     */
    public record IsolatedRow(String label, JmhResult routed, JmhResult baseline, double shareNanos, double shareError,
                              double shareBytes) {
        /** Whether both goals are met: under 100 ns and 0 B/op. */
        public boolean met() {
            return shareNanos < 100 && shareBytes < ZERO_BYTES;
        }
    }

    /** Item 1, Flagway alone (the {@code isolated*} benchmarks). */
    public List<IsolatedRow> isolatedRows() {
        List<IsolatedRow> rows = new ArrayList<>();
        Optional<JmhResult> read = results.jmh(ROUTING, "baseline_directRead");
        Optional<JmhResult> both = results.jmh(ROUTING, "baseline_directWriteBoth");
        if (read.isEmpty() || both.isEmpty()) {
            return rows;
        }
        String[][] plan = {
                {"isolatedRead_off", "proxy read, off", "r"},
                {"isolatedRead_dualWrite", "proxy read, dual_write", "r"},
                {"isolatedRead_shadow", "proxy read, shadow", "r"},
                {"isolatedRead_live", "proxy read, live", "r"},
                {"isolatedRead_liveUnsampled", "proxy read, live, no live sampling", "r"},
                {"isolatedRead_rampDown", "proxy read, ramp_down", "r"},
                {"isolatedRead_complete", "proxy read, complete", "r"},
                {"isolatedWrite_dualWrite", "proxy write, dual_write", "b"},
                {"isolatedLambdaRead_live", "lambda read, live", "r"},
        };
        for (String[] p : plan) {
            Optional<JmhResult> routed = results.jmh(ROUTING, p[0]);
            if (routed.isEmpty()) {
                continue;
            }
            JmhResult base = p[2].equals("r") ? read.get() : both.get();
            JmhResult r = routed.get();
            rows.add(new IsolatedRow(p[1], r, base, r.score() - base.score(),
                    Math.sqrt(sq(r.error()) + sq(base.error())), r.allocBytes() - base.allocBytes()));
        }
        return rows;
    }

    // ------------------------------------------------------------------ item 2

    /**
     * One provider's evaluation cost.
     *
     * @param provider its name
     * @param viaClient through an OpenFeature client
     * @param direct calling the provider
     */
    public record EvaluationRow(String provider, JmhResult viaClient, JmhResult direct) {
    }

    /** Item 2's rows: Flagway, in-memory, flagd (those that ran). */
    public List<EvaluationRow> evaluationRows() {
        List<EvaluationRow> rows = new ArrayList<>();
        String[][] plan = {{"flagway", "Flagway provider (H2, after first refresh)"},
                {"inMemory", "OpenFeature InMemoryProvider + hashCode evaluator"},
                {"flagd", "flagd provider, in-process (FILE)"}};
        for (String[] p : plan) {
            Optional<JmhResult> client = results.jmh(EVALUATION, "client_" + p[0]);
            Optional<JmhResult> direct = results.jmh(EVALUATION, "provider_" + p[0]);
            if (client.isPresent() && direct.isPresent()) {
                rows.add(new EvaluationRow(p[1], client.get(), direct.get()));
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------ item 3

    /**
     * One breaker path, Flagway vs Resilience4j.
     *
     * @param path what is recorded
     * @param flagway Flagway's breaker
     * @param resilience4j Resilience4j's, or null for Flagway-only rows
     */
    public record BreakerRow(String path, JmhResult flagway, JmhResult resilience4j) {
        /** Flagway over Resilience4j; NaN without a Resilience4j figure. */
        public double ratio() {
            return resilience4j == null ? Double.NaN : flagway.score() / resilience4j.score();
        }
    }

    /** Item 3's rows. */
    public List<BreakerRow> breakerRows() {
        List<BreakerRow> rows = new ArrayList<>();
        String[][] plan = {
                {"record success, 1 thread", "recordSuccess_flagway", "recordSuccess_resilience4j"},
                {"record failure, 1 thread", "recordFailure_flagway", "recordFailure_resilience4j"},
                {"permission + record success, 1 thread", "guardedSuccess_flagway", "guardedSuccess_resilience4j"},
                {"record success, 2 threads", "recordSuccess_flagway_2threads", "recordSuccess_resilience4j_2threads"},
                {"record failure, 2 threads", "recordFailure_flagway_2threads", "recordFailure_resilience4j_2threads"},
                {"record failure, judging (Flagway only)", "recordFailure_flagway_judging", null},
        };
        for (String[] p : plan) {
            Optional<JmhResult> f = results.jmh(BREAKER, p[1]);
            Optional<JmhResult> r = p[2] == null ? Optional.empty() : results.jmh(BREAKER, p[2]);
            if (f.isPresent() && (p[2] == null || r.isPresent())) {
                rows.add(new BreakerRow(p[0], f.get(), r.orElse(null)));
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------ Markdown

    /** The whole results page. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        MachineInfo m = results.machine;
        md.append("# Flagway benchmark results\n\n");
        md.append("Generated by `dev.flagway.bench.BenchmarkMain` (see [BENCHMARKS.md](BENCHMARKS.md) for what each "
                + "item measures, how to rerun it and how to read it). Every ratio is between two numbers of this "
                + "same run. Do not compare absolute numbers across machines.\n\n");
        md.append("| machine | |\n|---|---|\n");
        md.append("| run started | ").append(m.startedAt()).append(" (").append(fmt1(results.seconds))
                .append(" s in all) |\n");
        md.append("| processors | ").append(m.processors()).append(" |\n");
        md.append("| CPU | ").append(m.cpuModel()).append(" |\n");
        md.append("| memory | ").append(m.memory()).append(" |\n");
        md.append("| JDK | ").append(m.jdk()).append(" |\n");
        md.append("| OS | ").append(m.os()).append(" |\n");
        md.append("| load average (1/5/15 min) at start | ").append(m.loadAtStart()).append(" |\n");
        md.append("| load average at end | ").append(results.loadAtEnd).append(" |\n");
        md.append("| JMH | ").append(results.jmhSettings).append(results.jmhFromCache ? " (from the previous run's cache)" : "")
                .append(" |\n");
        md.append("| databases | ").append(results.dbSettings).append(" |\n");
        for (DbResults.OnDatabase db : results.databases) {
            md.append("| ").append(db.database()).append(" server | ").append(db.serverVersion()).append(" |\n");
        }
        md.append('\n');

        routingSection(md);
        evaluationSection(md);
        breakerSection(md);
        readSection(md);
        writeSection(md);
        backfillSection(md);
        tripSection(md);
        LaunchDarklyReport launchDarkly = new LaunchDarklyReport(results);
        launchDarkly.costSection(md);
        launchDarkly.failureSection(md);
        ScaleReport scale = new ScaleReport(results);
        scale.verificationSection(md);
        scale.scaleSection(md);
        return md.toString();
    }

    /** The items this run measured (1 to 11): the sections of the page that have figures. */
    public Set<Integer> measuredItems() {
        Set<Integer> items = new TreeSet<>();
        if (!routingRows().isEmpty() || !isolatedRows().isEmpty()) {
            items.add(1);
        }
        if (!evaluationRows().isEmpty()) {
            items.add(2);
        }
        if (!breakerRows().isEmpty()) {
            items.add(3);
        }
        if (!results.databases.isEmpty()) {
            items.addAll(List.of(4, 5, 7));
        }
        if (!results.backfill.isEmpty()) {
            items.add(6);
        }
        LaunchDarklyReport launchDarkly = new LaunchDarklyReport(results);
        if (launchDarkly.measuredCost()) {
            items.add(8);
        }
        if (launchDarkly.measuredFailures()) {
            items.add(9);
        }
        if (!results.verification.isEmpty()) {
            items.add(10);
        }
        if (!results.scale.isEmpty()) {
            items.add(11);
        }
        return items;
    }

    /** A sentence dating the figures of a section measured apart from the page's first run. */
    static String measuredIn(Results results) {
        return "Measured in the run started " + results.machine.startedAt() + " (load average "
                + results.machine.loadAtStart() + " at its start, " + results.loadAtEnd + " at its end).";
    }

    private void routingSection(StringBuilder md) {
        md.append("## 1. Routing overhead (JMH, in memory)\n\n");
        List<RoutingRow> rows = routingRows();
        List<IsolatedRow> isolated = isolatedRows();
        if (rows.isEmpty() && isolated.isEmpty()) {
            md.append("Not run.\n\n");
            return;
        }
        md.append("| baseline | ns/op | B/op |\n|---|---:|---:|\n");
        for (String b : new String[] {"baseline_directRead", "baseline_directWrite", "baseline_directWriteBoth",
                "baseline_openFeatureEvaluation"}) {
            results.jmh(ROUTING, b).ifPresent(r -> md.append("| `").append(b).append("` | ").append(score(r))
                    .append(" | ").append(bytes(r)).append(" |\n"));
        }
        if (!isolated.isEmpty()) {
            md.append("\n### 1a. Flagway alone (a flag client that answers at no cost)\n\n");
            md.append("Flagway's own share = routed call − the direct call(s) it replaces (goal: < 100 ns and 0 B/op). "
                    + "It includes building the OpenFeature context for the targeting key.\n\n");
            md.append("| routed call | ns/op | B/op | Flagway's share ns | Flagway's share B/op | goal |\n");
            md.append("|---|---:|---:|---:|---:|---|\n");
            for (IsolatedRow r : isolated) {
                boolean timeOk = r.shareNanos() < 100;
                boolean bytesOk = r.shareBytes() < ZERO_BYTES;
                md.append("| ").append(r.label()).append(" | ").append(score(r.routed())).append(" | ")
                        .append(bytes(r.routed())).append(" | ").append(fmt1(r.shareNanos())).append(" ± ")
                        .append(fmt1(r.shareError())).append(" | ").append(fmt0(Math.max(0, r.shareBytes()))).append(" | ")
                        .append(verdict(timeOk, "time", bytesOk, "allocation")).append(" |\n");
            }
        }
        if (!rows.isEmpty()) {
            md.append("\n### 1b. With the OpenFeature SDK and its InMemoryProvider\n\n");
            md.append("Flagway's share = routed − direct call(s) − `baseline_openFeatureEvaluation` (the same "
                    + "evaluation alone); three noisy numbers, so the share's error is wide.\n\n");
            md.append("| routed call | ns/op | B/op | × direct | Flagway's share ns | Flagway's share B/op |\n");
            md.append("|---|---:|---:|---:|---:|---:|\n");
            for (RoutingRow r : rows) {
                md.append("| ").append(r.label()).append(" | ").append(score(r.routed())).append(" | ")
                        .append(bytes(r.routed())).append(" | ").append(fmt1(r.ratio())).append(" | ")
                        .append(fmt1(r.shareNanos())).append(" ± ").append(fmt1(r.shareError())).append(" | ")
                        .append(fmt0(Math.max(0, r.shareBytes()))).append(" |\n");
            }
        }
        List<String[]> parts = List.of(
                new String[] {"stageFromFlagValue", "`Stage.fromFlagValue(value)`, once per evaluation"},
                new String[] {"targetingKeyContext", "`new TargetingKeyContext(targetingKey)`, once per evaluation"},
                new String[] {"immutableContextOfTargetingKey", "`new ImmutableContext(targetingKey)`, what it replaced"},
                new String[] {"targetingKeyOfBoxedLong", "`String.valueOf(boxed long)`, the proxy's targeting key"},
                new String[] {"nanoTime", "`System.nanoTime()` (a timed modern read takes two; past 1,000 calls a "
                        + "second, one LIVE read in four is timed)"},
                new String[] {"fleetHealthTotal", "fleet health: the breaker's running total of calls "
                        + "(`LongAdder.increment()`), once per modern call"},
                new String[] {"fleetHealthTotalTwoThreads", "the same, two threads on one total"});
        boolean any = parts.stream().anyMatch(p -> results.jmh("ComponentsBenchmark", p[0]).isPresent());
        if (any) {
            md.append("\n### 1c. The pieces, alone\n\n| piece | ns/op | B/op |\n|---|---:|---:|\n");
            for (String[] p : parts) {
                results.jmh("ComponentsBenchmark", p[0]).ifPresent(r -> md.append("| ").append(p[1]).append(" | ")
                        .append(score(r)).append(" | ").append(bytes(r)).append(" |\n"));
            }
        }
        md.append('\n');
    }

    private static String verdict(boolean firstOk, String first, boolean secondOk, String second) {
        if (firstOk && secondOk) {
            return "met";
        }
        return "missed (" + (firstOk ? "" : first) + (firstOk || secondOk ? "" : ", ") + (secondOk ? "" : second) + ")";
    }

    private void evaluationSection(StringBuilder md) {
        md.append("## 2. Flag evaluation, 10% rollout (JMH)\n\n");
        List<EvaluationRow> rows = evaluationRows();
        if (rows.isEmpty()) {
            md.append("Not run.\n\n");
            return;
        }
        double fastestClient = rows.stream().mapToDouble(r -> r.viaClient().score()).min().orElse(Double.NaN);
        double fastestDirect = rows.stream().mapToDouble(r -> r.direct().score()).min().orElse(Double.NaN);
        md.append("| provider | via client ns/op | B/op | × fastest | provider call ns/op | B/op | × fastest |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (EvaluationRow r : rows) {
            md.append("| ").append(r.provider()).append(" | ").append(score(r.viaClient())).append(" | ")
                    .append(bytes(r.viaClient())).append(" | ").append(fmt2(r.viaClient().score() / fastestClient))
                    .append(" | ").append(score(r.direct())).append(" | ").append(bytes(r.direct())).append(" | ")
                    .append(fmt2(r.direct().score() / fastestDirect)).append(" |\n");
        }
        if (results.rolloutShares != null) {
            double[] s = results.rolloutShares;
            md.append("\nShare of 10,000 keys in the rollout: Flagway ").append(pct(s[0])).append(", InMemoryProvider ")
                    .append(pct(s[1])).append(", flagd ").append(pct(s[2])).append("; Flagway and flagd agree on ")
                    .append(pct(s[3])).append(" of the keys.\n");
        }
        md.append('\n');
    }

    private void breakerSection(StringBuilder md) {
        md.append("## 3. Breaker record cost vs Resilience4j (JMH)\n\n");
        List<BreakerRow> rows = breakerRows();
        if (rows.isEmpty()) {
            md.append("Not run.\n\n");
            return;
        }
        md.append("ns/op is per call and per thread (average time).\n\n");
        md.append("| path | Flagway ns/op | B/op | Resilience4j ns/op | B/op | Flagway ÷ Resilience4j | goal |\n");
        md.append("|---|---:|---:|---:|---:|---:|---|\n");
        for (BreakerRow r : rows) {
            md.append("| ").append(r.path()).append(" | ").append(score(r.flagway())).append(" | ")
                    .append(bytes(r.flagway())).append(" | ");
            if (r.resilience4j() == null) {
                md.append("— | — | — | ").append(r.flagway().allocBytes() < ZERO_BYTES ? "0 B/op met" : "allocates")
                        .append(" |\n");
                continue;
            }
            boolean cheaper = r.flagway().score() < r.resilience4j().score();
            boolean zero = r.flagway().allocBytes() < ZERO_BYTES;
            md.append(score(r.resilience4j())).append(" | ").append(bytes(r.resilience4j())).append(" | ")
                    .append(fmt2(r.ratio())).append(" | ")
                    .append(cheaper && zero ? "met" : "missed (" + (cheaper ? "" : "slower") + (cheaper || zero ? "" : ", ")
                            + (zero ? "" : "allocates") + ")")
                    .append(" |\n");
        }
        md.append('\n');
    }

    private void readSection(StringBuilder md) {
        md.append("## 4. Routed point read in LIVE at 100% vs the same read without Flagway\n\n");
        appendSkipped(md);
        if (results.databases.isEmpty()) {
            md.append("Not run.\n\n");
            return;
        }
        md.append("One caller thread; plain read, routed read (default settings: 1% of LIVE reads also compared "
                + "with a legacy read on the shadow pool) and routed read with live sampling off, alternating call "
                + "by call after a warm-up. Latency in µs.\n\n");
        md.append("| database | reads each | plain mean / p50 / p99 | routed mean / p50 / p99 "
                + "| routed, sampling off, mean / p50 / p99 |\n|---|---:|---|---|---|\n");
        for (DbResults.OnDatabase db : results.databases) {
            DbResults.Reads r = db.reads();
            md.append("| ").append(db.database()).append(" | ").append(r.plain().count()).append(" | ")
                    .append(triple(r.plain())).append(" | ").append(triple(r.routed())).append(" | ")
                    .append(triple(r.routedUnsampled())).append(" |\n");
        }
        md.append("\nRatios to the plain read: over all calls, and the median [min–max] of the ")
                .append(results.databases.get(0).reads().routedRepetitions().size())
                .append(" repetitions the calls were split into (the spread is the noise).\n\n");
        md.append("| database | routed ÷ plain, means | per repetition | routed ÷ plain, p50s | per repetition "
                + "| sampling off ÷ plain, means | per repetition | goal ≤ 1.05 (means, all calls) |\n"
                + "|---|---:|---|---:|---|---:|---|---|\n");
        for (DbResults.OnDatabase db : results.databases) {
            DbResults.Reads r = db.reads();
            md.append("| ").append(db.database()).append(" | ").append(fmt3(r.meanRatio())).append(" | ")
                    .append(spread(DbResults.means(r.routedRepetitions()))).append(" | ")
                    .append(fmt3(r.p50Ratio())).append(" | ").append(spread(DbResults.p50s(r.routedRepetitions())))
                    .append(" | ").append(fmt3(r.unsampledMeanRatio())).append(" | ")
                    .append(spread(DbResults.means(r.unsampledRepetitions()))).append(" | ")
                    .append(r.meanRatio() <= 1.05 ? "met" : "missed").append(" |\n");
        }
        md.append('\n');
    }

    private void writeSection(StringBuilder md) {
        md.append("## 5. Dual write vs single write\n\n");
        if (results.databases.isEmpty()) {
            md.append("Not run.\n\n");
            return;
        }
        md.append("One caller thread, the four variants taking turns call by call after a warm-up. Latency in µs "
                + "(mean / p50 / p99).\n\n");
        md.append("| database | writes each | single UPDATE (autocommit) | 2 UPDATEs, 1 transaction "
                + "| + savepoint (by hand) | Flagway dual write |\n|---|---:|---|---|---|---|\n");
        for (DbResults.OnDatabase db : results.databases) {
            DbResults.Writes w = db.writes();
            md.append("| ").append(db.database()).append(" | ").append(w.single().count()).append(" | ")
                    .append(triple(w.single())).append(" | ").append(triple(w.manualTransaction())).append(" | ")
                    .append(triple(w.manualSavepoint())).append(" | ").append(triple(w.flagway())).append(" |\n");
        }
        md.append("\nRatios of means: over all calls, and the median [min–max] of the repetitions.\n\n");
        md.append("| database | Flagway ÷ single | per repetition | Flagway ÷ same SQL by hand | per repetition "
                + "| transaction ÷ single | savepoint ÷ transaction |\n|---|---:|---|---:|---|---:|---:|\n");
        for (DbResults.OnDatabase db : results.databases) {
            DbResults.Writes w = db.writes();
            md.append("| ").append(db.database()).append(" | ").append(fmt2(w.flagwayOverSingle())).append(" | ")
                    .append(spread(DbResults.means(w.overSingleRepetitions()))).append(" | ")
                    .append(fmt3(w.flagwayOverManualSavepoint())).append(" | ")
                    .append(spread(DbResults.means(w.overManualRepetitions()))).append(" | ")
                    .append(fmt2(w.transactionOverSingle())).append(" | ").append(fmt2(w.savepointOverTransaction()))
                    .append(" |\n");
        }
        md.append('\n');
    }

    /** {@code median [min–max]} of {@code values}. */
    static String spread(double[] values) {
        if (values.length == 0) {
            return "—";
        }
        double min = java.util.Arrays.stream(values).min().getAsDouble();
        double max = java.util.Arrays.stream(values).max().getAsDouble();
        return fmt3(DbResults.median(values)) + " [" + fmt3(min) + "–" + fmt3(max) + "]";
    }

    private void backfillSection(StringBuilder md) {
        md.append("## 6. Backfill vs one plain UPDATE\n\n");
        if (results.backfill.isEmpty()) {
            md.append("Not measured: ").append(results.backfillNotMeasured == null ? "not run"
                    : results.backfillNotMeasured).append("\n\n");
            return;
        }
        md.append(results.backfillSettings).append("\n\n");
        md.append("| database | what ran | rows | seconds | rows/s | ÷ plain UPDATE (goal ≥ 0.5) | batches (largest) "
                + "| throttled by |\n|---|---|---:|---:|---:|---:|---|---|\n");
        for (DbResults.Backfill b : results.backfill) {
            for (DbResults.Phase p : phases(b, false)) {
                md.append("| ").append(b.database()).append(" | ").append(p.name()).append(" | ")
                        .append(p.rowsUpdated()).append(" | ").append(fmt1(p.seconds())).append(" | ")
                        .append(fmt0(p.rowsPerSecond())).append(" | ")
                        .append(fmt2(p.rowsPerSecond() / b.update().rowsPerSecond())).append(" | ")
                        .append(p.name().startsWith("plain") ? "1" : p.batches() + " (" + p.largestBatch() + ")")
                        .append(" | ").append(p.throttles().isEmpty() ? "—" : p.throttles()).append(" |\n");
            }
        }
        md.append("\nThe application's queries meanwhile, in µs (mean / p50 / p99); the goal is judged on the service "
                + "time; lock timeout ")
                .append(results.backfill.get(0).lockTimeoutMillis()).append(" ms:\n\n");
        md.append("| database | while | queries | service time | p99 ÷ idle (goal ≤ 2) | reads | writes "
                + "| response time | p99 ÷ idle | longest service ms | lock timeouts (goal 0) | CPU idle |\n"
                + "|---|---|---:|---|---:|---|---|---|---:|---:|---:|---:|\n");
        for (DbResults.Backfill b : results.backfill) {
            for (DbResults.Phase p : phases(b, true)) {
                md.append("| ").append(b.database()).append(" | ").append(p.name()).append(" | ")
                        .append(p.all().count()).append(" | ")
                        .append(triple(p.all())).append(" | ").append(fmt2(b.p99Ratio(p))).append(" | ")
                        .append(triple(p.reads())).append(" | ").append(triple(p.writes())).append(" | ")
                        .append(triple(p.response())).append(" | ").append(fmt2(b.responseP99Ratio(p))).append(" | ")
                        .append(fmt0(p.slowestMillis())).append(" | ").append(p.lockTimeouts()).append(" | ")
                        .append(p.cpuIdle() > 0 ? fmt0(p.cpuIdle() * 100) + "%" : "—").append(" |\n");
            }
        }
        md.append('\n');
        for (DbResults.Backfill b : results.backfill) {
            md.append("Goals on ").append(b.database()).append(" (default backfill): throughput ")
                    .append(fmt2(b.throughputRatio())).append(b.throughputRatio() >= 0.5 ? " ≥ 0.5 met" : " < 0.5 missed")
                    .append("; application p99 ").append(fmt2(b.p99Ratio(b.backfill())))
                    .append(b.p99Ratio(b.backfill()) <= 2 ? " × idle ≤ 2 met" : " × idle > 2 missed")
                    .append("; lock waits: slowest query ").append(fmt0(b.backfill().slowestMillis())).append(" ms, ")
                    .append(b.backfill().lockTimeouts()).append(" lock timeouts")
                    .append(b.backfill().lockTimeouts() == 0 && b.backfill().slowestMillis() < b.lockTimeoutMillis()
                            ? " met" : " missed").append(".\n");
        }
        if (results.backfillNotMeasured != null) {
            md.append("\nNot measured on ").append(results.backfillNotMeasured).append('\n');
        }
        md.append('\n');
    }

    private static List<DbResults.Phase> phases(DbResults.Backfill b, boolean withIdle) {
        List<DbResults.Phase> phases = new ArrayList<>();
        if (withIdle) {
            phases.add(b.idle());
        }
        phases.add(b.update());
        phases.add(b.backfill());
        if (b.tuned() != null) {
            phases.add(b.tuned());
        }
        if (b.guarded() != null) {
            phases.addAll(b.guarded());
        }
        return phases;
    }

    private void tripSection(StringBuilder md) {
        md.append("## 7. Breaker reaction to a modern-path error rate\n\n");
        if (results.databases.isEmpty()) {
            md.append("Not run.\n\n");
            return;
        }
        md.append("Two callers read through the proxy in LIVE at 100% with the default breaker (10 s window, 100 "
                + "calls minimum, trip above 1% errors); then the given share of modern reads fail with a server "
                + "error.\n\n");
        md.append("| database | error rate | reads/s | window calls at onset | calls to trip (expected) "
                + "| ms to trip | failed modern reads before trip | errors that reached callers (goal 0) "
                + "| fallbacks | flag disabled in store after ms | modern reads after trip |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (DbResults.OnDatabase db : results.databases) {
            DbResults.Trip t = db.trip();
            md.append("| ").append(db.database()).append(" | ").append(pct(t.errorRate())).append(" | ")
                    .append(fmt0(t.readsPerSecond())).append(" | ").append(t.windowCallsAtOnset()).append(" | ")
                    .append(t.tripped() ? t.callsToTrip() + " (" + fmt0(t.expectedCallsToTrip()) + ")" : "no trip")
                    .append(" | ").append(t.tripped() ? fmt1(t.millisToTrip()) : "—").append(" | ")
                    .append(t.failuresToTrip()).append(" | ").append(t.callerErrors()).append(" | ")
                    .append(t.fallbacks()).append(" | ")
                    .append(t.millisToFlagDisabled() < 0 ? "—" : fmt0(t.millisToFlagDisabled())).append(" | ")
                    .append(t.modernReadsAfterTrip()).append(" |\n");
        }
        md.append('\n');
        for (DbResults.OnDatabase db : results.databases) {
            md.append("- ").append(db.database()).append(" trip reason: ").append(db.trip().tripReason()).append('\n');
        }
        md.append('\n');
    }

    private void appendSkipped(StringBuilder md) {
        results.skipped.forEach((db, why) -> md.append("- ").append(db).append(" skipped: ").append(why).append('\n'));
        if (!results.skipped.isEmpty()) {
            md.append('\n');
        }
    }

    // ------------------------------------------------------------------ formatting

    static String score(JmhResult r) {
        return fmt1(r.score()) + " ± " + fmt1(r.error());
    }

    static String bytes(JmhResult r) {
        return Double.isNaN(r.allocBytes()) ? "—" : r.allocBytes() < ZERO_BYTES ? "0" : fmt0(r.allocBytes());
    }

    private static String triple(Summary s) {
        return fmt1(s.meanMicros()) + " / " + fmt1(s.p50Micros()) + " / " + fmt1(s.p99Micros());
    }

    private static double sq(double d) {
        return d * d;
    }

    static String fmt0(double d) {
        return String.format(Locale.ROOT, "%.0f", d);
    }

    static String fmt1(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    static String fmt2(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    static String fmt3(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    static String pct(double d) {
        return String.format(Locale.ROOT, "%.1f%%", d * 100);
    }
}
