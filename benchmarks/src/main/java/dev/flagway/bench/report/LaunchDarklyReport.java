package dev.flagway.bench.report;

import dev.flagway.bench.db.DbResults;
import dev.flagway.bench.jmh.InterleavedPeers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Items 8 and 9 of the results page: LaunchDarkly's migration API against Flagway, the cost per call
 * at each stage (JMH) and the behaviour under failures on real databases.
 */
final class LaunchDarklyReport {
    static final String BENCHMARK = "LaunchDarklyBenchmark";
    static final String FLAGS = "LaunchDarklyFlagBenchmark";
    /** The stages, as LaunchDarkly's flags spell them (the benchmark's parameter). */
    static final List<String> STAGES = List.of("off", "dualwrite", "shadow", "live", "rampdown", "complete");

    private final Results results;

    LaunchDarklyReport(Results results) {
        this.results = results;
    }

    /**
     * One stage's calls.
     *
     * @param stage the stage
     * @param ldRead LaunchDarkly's read (parallel, its default)
     * @param ldReadSerial LaunchDarkly's read, serial
     * @param proxyRead Flagway's proxy
     * @param lambdaRead Flagway's lambda API
     * @param ldWrite LaunchDarkly's write
     * @param proxyWrite Flagway's proxy
     * @param lambdaWrite Flagway's lambda API
     */
    record StageRow(String stage, JmhResult ldRead, JmhResult ldReadSerial, JmhResult proxyRead, JmhResult lambdaRead,
                    JmhResult ldWrite, JmhResult proxyWrite, JmhResult lambdaWrite) {
    }

    /** Item 8's rows: the stages every benchmark of which ran. */
    List<StageRow> stageRows() {
        List<StageRow> rows = new ArrayList<>();
        for (String stage : STAGES) {
            Function<String, Optional<JmhResult>> r = method -> results.jmh(BENCHMARK, method + ":" + stage);
            List<Optional<JmhResult>> all = List.of(r.apply("ldRead"), r.apply("ldReadSerial"), r.apply("proxyRead"),
                    r.apply("lambdaRead"), r.apply("ldWrite"), r.apply("proxyWrite"), r.apply("lambdaWrite"));
            if (all.stream().allMatch(Optional::isPresent)) {
                rows.add(new StageRow(stage, all.get(0).get(), all.get(1).get(), all.get(2).get(), all.get(3).get(),
                        all.get(4).get(), all.get(5).get(), all.get(6).get()));
            }
        }
        return rows;
    }

    boolean measuredCost() {
        return !stageRows().isEmpty() || !results.interleaved.isEmpty();
    }

    boolean measuredFailures() {
        return !results.peers.isEmpty();
    }

    void costSection(StringBuilder md) {
        md.append("## 8. LaunchDarkly's migration API vs Flagway: cost per call at each stage (JMH)\n\n");
        List<StageRow> rows = stageRows();
        if (!measuredCost()) {
            md.append("Not run.\n\n");
            return;
        }
        interleavedTable(md);
        if (rows.isEmpty()) {
            return;
        }
        md.append("JMH, one fork per stage and call (B/op from `-prof gc`). ")
                .append(Report.measuredIn(results)).append(" Both libraries read the stage from the same LaunchDarkly flag "
                + "(SDK 7.13.0 offline, `TestData`); in-memory repositories as in item 1. Each cell: ns/op ± error, "
                + "B/op.\n\n");
        md.append("| stage | LaunchDarkly read (parallel, default) | LaunchDarkly read, serial | Flagway proxy read "
                + "| Flagway lambda read | LaunchDarkly ÷ proxy | LaunchDarkly ÷ lambda |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (StageRow r : rows) {
            md.append("| ").append(r.stage()).append(" | ").append(cell(r.ldRead())).append(" | ")
                    .append(cell(r.ldReadSerial())).append(" | ").append(cell(r.proxyRead())).append(" | ")
                    .append(cell(r.lambdaRead())).append(" | ").append(Report.fmt1(ratio(r.ldRead(), r.proxyRead())))
                    .append(" | ").append(Report.fmt1(ratio(r.ldRead(), r.lambdaRead()))).append(" |\n");
        }
        md.append("\n| stage | LaunchDarkly write | Flagway proxy write | Flagway lambda write | LaunchDarkly ÷ proxy "
                + "| LaunchDarkly ÷ lambda |\n|---|---:|---:|---:|---:|---:|\n");
        for (StageRow r : rows) {
            md.append("| ").append(r.stage()).append(" | ").append(cell(r.ldWrite())).append(" | ")
                    .append(cell(r.proxyWrite())).append(" | ").append(cell(r.lambdaWrite())).append(" | ")
                    .append(Report.fmt1(ratio(r.ldWrite(), r.proxyWrite()))).append(" | ")
                    .append(Report.fmt1(ratio(r.ldWrite(), r.lambdaWrite()))).append(" |\n");
        }
        Optional<JmhResult> ld = results.jmh(FLAGS, "ldMigrationVariation");
        Optional<JmhResult> of = results.jmh(FLAGS, "openFeatureOverLaunchDarkly");
        if (ld.isPresent() && of.isPresent()) {
            md.append("\nThe flag evaluation alone: LaunchDarkly's `migrationVariation` ").append(cell(ld.get()))
                    .append("; the OpenFeature evaluation Flagway makes, answered by the same LaunchDarkly client, ")
                    .append(cell(of.get())).append(".\n");
        }
        md.append('\n');
    }

    void failureSection(StringBuilder md) {
        md.append("## 9. LaunchDarkly's migration API vs Flagway at `live` under failures\n\n");
        List<DbResults.PeerFailures> all = results.peers;
        if (all.isEmpty()) {
            md.append("Not run.\n\n");
            return;
        }
        md.append(Report.measuredIn(results)).append(" LaunchDarkly (offline, defaults; each read and write its own "
                + "autocommitted statement) and Flagway (transaction runner, repair log, breaker, flag in Flagway's "
                + "provider) take turns operation by operation, a read then a write, on disjoint keys; each write is "
                + "read back at once. First ").append(Report.pct(all.get(0).errorRate()))
                .append(" of the new path's reads and writes fail with a server error, then ")
                .append(Report.pct(all.get(0).errorRate())).append(" of the legacy writes.\n\n");
        StringBuilder head = new StringBuilder("| | ");
        StringBuilder rule = new StringBuilder("|---|");
        for (DbResults.PeerFailures p : all) {
            head.append(p.database()).append(", LaunchDarkly | ").append(p.database()).append(", Flagway | ");
            rule.append("---|---|");
        }
        md.append(head.toString().trim()).append('\n').append(rule).append('\n');
        Function<DbResults.PeerFailures, DbResults.PeerPhase> ldNew = DbResults.PeerFailures::launchDarklyNewFailing;
        Function<DbResults.PeerFailures, DbResults.PeerPhase> fwNew = DbResults.PeerFailures::flagwayNewFailing;
        Function<DbResults.PeerFailures, DbResults.PeerPhase> ldOld = DbResults.PeerFailures::launchDarklyLegacyFailing;
        Function<DbResults.PeerFailures, DbResults.PeerPhase> fwOld = DbResults.PeerFailures::flagwayLegacyFailing;
        Function<DbResults.PeerPhase, String> injected = p -> Long.toString(p.injectedFailures());
        Function<DbResults.PeerPhase, String> readErrors = p -> p.readErrors() + " of " + p.reads();
        Function<DbResults.PeerPhase, String> writeErrors = p -> p.writeErrors() + " of " + p.writes();
        Function<DbResults.PeerPhase, String> landed = p -> p.bothWritten() + " / " + p.legacyOnly() + " / "
                + p.newOnly() + " / " + p.neither();
        Function<DbResults.PeerPhase, String> acknowledged = p -> p.acknowledgedIncomplete()
                + (p.nonAuthoritativeFailures() > 0 ? " (reported only in the result's non-authoritative part: "
                + p.nonAuthoritativeFailures() + ")" : "");
        row(md, all, "new path failing: operations made to fail", ldNew.andThen(injected), fwNew.andThen(injected));
        row(md, all, "… reads whose caller got no value", ldNew.andThen(readErrors), fwNew.andThen(readErrors));
        row(md, all, "… writes reported failed to the caller", ldNew.andThen(writeErrors), fwNew.andThen(writeErrors));
        row(md, all, "… writes found in both columns / legacy only / new only / neither", ldNew.andThen(landed),
                fwNew.andThen(landed));
        row(md, all, "… reported as succeeded but missing a column", ldNew.andThen(acknowledged),
                fwNew.andThen(acknowledged));
        row(md, all, "… failed new writes repaired from legacy in their own transaction / recorded for repair",
                p -> "—", p -> p.repairedInline() + " / " + p.repairsRecorded());
        row(md, all, "… the flag afterwards",
                p -> "still `" + p.launchDarklyStageAfter() + "`: every read still reads the new path",
                p -> (p.flagwayOpsToTrip() < 0 ? "breaker did not trip"
                        : "breaker tripped after " + p.flagwayOpsToTrip() + " operations")
                        + (p.flagwayFlagDisabled() ? ", flag disabled in the store" : ", flag still enabled")
                        + "; " + p.flagwayModernReads() + " new-path reads in all");
        row(md, all, "legacy writes failing: writes made to fail", ldOld.andThen(injected), fwOld.andThen(injected));
        row(md, all, "… writes reported failed to the caller", ldOld.andThen(writeErrors), fwOld.andThen(writeErrors));
        row(md, all, "… writes found in both columns / legacy only / new only / neither", ldOld.andThen(landed),
                fwOld.andThen(landed));
        row(md, all, "… reported as succeeded but missing a column", ldOld.andThen(acknowledged),
                fwOld.andThen(acknowledged));
        md.append('\n');
    }

    private void interleavedTable(StringBuilder md) {
        if (results.interleaved.isEmpty()) {
            return;
        }
        md.append(Report.measuredIn(results)).append(" Interleaved in one JVM: at each stage the seven calls take "
                + "turns in batches of 1,000 calls, round after round; ns per call is the median of a call's "
                + "batches, a ratio the median of the rounds' ratios, so that load from other processes hits every "
                + "call alike.\n\n");
        md.append("| stage | LaunchDarkly read | serial | Flagway proxy read | lambda read | LaunchDarkly ÷ proxy "
                + "| ÷ lambda | LaunchDarkly write | Flagway proxy write | lambda write | LaunchDarkly ÷ proxy "
                + "| ÷ lambda |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (InterleavedPeers.StageTiming t : results.interleaved) {
            md.append("| ").append(t.stage());
            for (String v : List.of("ldRead", "ldReadSerial", "proxyRead", "lambdaRead")) {
                md.append(" | ").append(Report.fmt0(t.nanos(v)));
            }
            md.append(" | ").append(Report.fmt1(t.ratios().get("ldRead/proxyRead"))).append(" | ")
                    .append(Report.fmt1(t.ratios().get("ldRead/lambdaRead")));
            for (String v : List.of("ldWrite", "proxyWrite", "lambdaWrite")) {
                md.append(" | ").append(Report.fmt0(t.nanos(v)));
            }
            md.append(" | ").append(Report.fmt1(t.ratios().get("ldWrite/proxyWrite"))).append(" | ")
                    .append(Report.fmt1(t.ratios().get("ldWrite/lambdaWrite"))).append(" |\n");
        }
        md.append('\n');
    }

    private static void row(StringBuilder md, List<DbResults.PeerFailures> all, String label,
                            Function<DbResults.PeerFailures, String> launchDarkly,
                            Function<DbResults.PeerFailures, String> flagway) {
        md.append("| ").append(label).append(" |");
        for (DbResults.PeerFailures p : all) {
            md.append(' ').append(launchDarkly.apply(p)).append(" | ").append(flagway.apply(p)).append(" |");
        }
        md.append('\n');
    }

    static double ratio(JmhResult a, JmhResult b) {
        return a.score() / b.score();
    }

    static String cell(JmhResult r) {
        return Report.score(r) + " ns, " + Report.bytes(r) + " B";
    }
}
