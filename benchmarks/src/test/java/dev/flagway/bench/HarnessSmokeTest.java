package dev.flagway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flagway.bench.db.DbBenchmarks;
import dev.flagway.bench.db.DbResults;
import dev.flagway.bench.db.DbSettings;
import dev.flagway.bench.db.DbTarget;
import dev.flagway.bench.jmh.BreakerBenchmark;
import dev.flagway.bench.jmh.ComponentsBenchmark;
import dev.flagway.bench.db.VerificationBenchmark;
import dev.flagway.bench.jmh.FlagEvaluationBenchmark;
import dev.flagway.bench.jmh.InterleavedPeers;
import dev.flagway.bench.jmh.LaunchDarklyBenchmark;
import dev.flagway.bench.jmh.LaunchDarklyFlagBenchmark;
import dev.flagway.bench.jmh.RoutingBenchmark;
import dev.flagway.bench.report.Chart;
import dev.flagway.bench.report.JmhResult;
import dev.flagway.bench.report.MachineInfo;
import dev.flagway.bench.report.Report;
import dev.flagway.bench.report.Results;
import dev.flagway.bench.report.ResultsPage;
import com.launchdarkly.sdk.server.MigrationStage;
import java.awt.GraphicsEnvironment;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Proves the benchmark code works, in seconds and without timing anything: every JMH benchmark
 * method runs once on its real state, the database harness runs a few calls of items 4, 5 and 7 on
 * H2, and the report and the chart are written. The benchmarks themselves run only through the
 * {@code bench} profile (docs/BENCHMARKS.md).
 */
class HarnessSmokeTest {

    @Test
    void routingBenchmarksRouteAsTheirStageSays() throws Exception {
        RoutingBenchmark bench = new RoutingBenchmark();
        bench.setUp();
        try {
            RoutingBenchmark.Caller caller = new RoutingBenchmark.Caller();
            caller.setUp(bench);
            invokeAll(bench, caller);
            assertThat(bench.proxyRead_off(caller)).startsWith("User.");
            assertThat(bench.proxyRead_live(caller)).startsWith("user.");
            assertThat(bench.proxyRead_complete(caller)).startsWith("user.");
            assertThat(bench.lambdaRead_live(caller)).startsWith("user.");
            assertThat(bench.baseline_openFeatureEvaluation(caller).getValue()).isEqualTo("live");
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void launchDarklyAndFlagwayRouteEveryStageAlikeFromTheSameFlag() throws Exception {
        for (String stage : List.of("off", "dualwrite", "shadow", "live", "rampdown", "complete")) {
            LaunchDarklyBenchmark bench = new LaunchDarklyBenchmark();
            bench.stage = stage;
            bench.setUp();
            try {
                LaunchDarklyBenchmark.Caller caller = new LaunchDarklyBenchmark.Caller();
                caller.setUp(bench);
                invokeAll(bench, caller);
                String column = Set.of("live", "rampdown", "complete").contains(stage) ? "user." : "User.";
                assertThat(bench.ldRead(caller).getResult()).as(stage).hasValueSatisfying(v -> assertThat(v).startsWith(column));
                assertThat(bench.ldReadSerial(caller).getResult()).as(stage).hasValueSatisfying(v -> assertThat(v).startsWith(column));
                assertThat(bench.proxyRead(caller)).as(stage).startsWith(column);
                assertThat(bench.lambdaRead(caller)).as(stage).startsWith(column);
                assertThat(bench.ldWrite(caller).getAuthoritative().isSuccess()).isTrue();
            } finally {
                bench.tearDown();
            }
        }
        List<InterleavedPeers.StageTiming> interleaved = InterleavedPeers.run(0, 2, 10, message -> { });
        assertThat(interleaved).hasSize(6).allSatisfy(t -> assertThat(t.ratios()).hasSize(5)
                .allSatisfy((pair, ratio) -> assertThat(ratio).isPositive()));
        LaunchDarklyFlagBenchmark flags = new LaunchDarklyFlagBenchmark();
        flags.setUp();
        try {
            assertThat(flags.ldMigrationVariation().getStage()).isEqualTo(MigrationStage.LIVE);
            assertThat(flags.openFeatureOverLaunchDarkly().getValue()).isEqualTo("live");
        } finally {
            flags.tearDown();
        }
    }

    @Test
    void underFailuresLaunchDarklyReturnsErrorsAndSplitsWritesWhereFlagwayFallsBackAndKeepsThemWhole() throws Exception {
        DbResults.PeerFailures p;
        try (DbBenchmarks bench = new DbBenchmarks(DbTarget.h2(), DbSettings.smoke(), message -> { })) {
            p = bench.peers();
        }
        DbResults.PeerPhase ld = p.launchDarklyNewFailing();
        DbResults.PeerPhase fw = p.flagwayNewFailing();
        assertThat(ld.readErrors()).as("LaunchDarkly read errors, no fallback").isPositive();
        assertThat(fw.readErrors()).as("Flagway read errors").isZero();
        assertThat(ld.writeErrors()).isPositive().isEqualTo(ld.neither()); // live: new first, legacy skipped
        assertThat(ld.acknowledgedIncomplete()).isZero();
        assertThat(fw.writeErrors()).isZero();
        assertThat(fw.neither() + fw.newOnly()).isZero();
        assertThat(fw.legacyOnly()).as("new failed, re-derived from legacy in the same transaction").isZero();
        assertThat(fw.bothWritten()).isEqualTo(fw.writes());
        assertThat(p.repairedInline()).as("failed new writes repaired inline").isPositive();
        assertThat(p.repairsRecorded()).isZero();
        assertThat(p.launchDarklyStageAfter()).isEqualTo("live");
        assertThat(p.flagwayOpsToTrip()).as("Flagway's breaker tripped").isNotNegative();
        assertThat(p.flagwayFlagDisabled()).isTrue();

        DbResults.PeerPhase ldOld = p.launchDarklyLegacyFailing();
        DbResults.PeerPhase fwOld = p.flagwayLegacyFailing();
        assertThat(ldOld.newOnly()).as("new written, legacy failed, caller told it succeeded").isPositive()
                .isEqualTo(ldOld.acknowledgedIncomplete()).isEqualTo(ldOld.nonAuthoritativeFailures());
        assertThat(ldOld.writeErrors()).isZero();
        assertThat(fwOld.writeErrors()).as("Flagway: the whole write fails").isPositive().isEqualTo(fwOld.neither());
        assertThat(fwOld.acknowledgedIncomplete() + fwOld.newOnly() + fwOld.legacyOnly()).isZero();
    }

    @Test
    void theVerifierFindsTheKeysTheSingleStatementOnlyCounts() throws Exception {
        DbResults.Verification v = VerificationBenchmark.run(DbTarget.h2(), VerificationBenchmark.Settings.smoke(),
                message -> { });
        assertThat(v.runbookTotal()).isEqualTo(v.verifierTotal()).isEqualTo(12_000);
        assertThat(v.runbookWithNew()).isEqualTo(v.verifierWithNew()).isEqualTo(12_000 - 3);
        assertThat(v.verifierMatching()).isEqualTo(12_000 - 7).isEqualTo(v.runbookMatching());
        assertThat(v.verifierSummary()).contains("4 mismatched e.g. keys [", "3 missing (NULL) e.g. keys [");
        assertThat(v.verifierSql().get(0).connections())
                .as("one transaction per chunk of 5,000, and one of the second worker's that found no chunk left")
                .isBetween(3L, 4L);
        assertThat(v.runbook().get(0).connections()).isEqualTo(1);
    }

    @Test
    void aPartialRunReplacesOnlyTheSectionsItMeasured() {
        String page = "# Results\n\nhead\n\n## 1. One\n\nold one\n\n## 2. Two\n\nold two\n\n## 10. Ten\n\nold ten\n";
        String fresh = "# Results\n\nnew head\n\n## 1. One\n\nNot run.\n\n## 2. Two\n\nnew two\n\n## 3. Three\n\n"
                + "Not run.\n\n## 10. Ten\n\nNot run.\n\n## 11. Eleven\n\nnew eleven\n";
        assertThat(ResultsPage.merge(page, fresh, Set.of(2, 11))).isEqualTo("# Results\n\nhead\n\n## 1. One\n\nold one\n\n"
                + "## 2. Two\n\nnew two\n\n## 3. Three\n\nNot run.\n\n## 10. Ten\n\nold ten\n## 11. Eleven\n\nnew eleven\n");
    }

    @Test
    void everyProviderRollsOutTenPercent() throws Exception {
        FlagEvaluationBenchmark bench = new FlagEvaluationBenchmark();
        bench.setUp();
        try {
            invokeAll(bench, null);
            double[] shares = bench.rolloutShares(2_000);
            assertThat(shares[0]).as("Flagway").isBetween(0.07, 0.13);
            assertThat(shares[1]).as("InMemoryProvider").isBetween(0.07, 0.13);
            assertThat(shares[2]).as("flagd").isBetween(0.07, 0.13);
            // flagd's Java provider (0.11.x) still buckets with fractional v1, Flagway with v2: most keys agree
            assertThat(shares[3]).as("Flagway and flagd agree").isGreaterThan(0.8);
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void breakerBenchmarksStayClosed() throws Exception {
        BreakerBenchmark bench = new BreakerBenchmark();
        bench.setUp();
        for (int i = 0; i < 1_000; i++) {
            invokeAll(bench, null);
        }
        bench.verifyClosed();
        invokeAll(new ComponentsBenchmark(), null);
    }

    @Test
    void databaseHarnessRunsOnH2AndTheReportAndChartAreWritten(@TempDir Path dir) throws Exception {
        DbResults.OnDatabase db;
        try (DbBenchmarks bench = new DbBenchmarks(DbTarget.h2(), DbSettings.smoke(), message -> { })) {
            db = bench.runAll();
        }
        assertThat(db.reads().plain().count()).isEqualTo(100);
        assertThat(db.reads().routed().count()).isEqualTo(100);
        assertThat(db.writes().flagway().count()).isEqualTo(40);
        assertThat(db.trip().tripped()).as("breaker tripped").isTrue();
        assertThat(db.trip().callerErrors()).as("errors that reached callers").isZero();
        assertThat(db.trip().fallbacks()).isPositive();
        assertThat(db.trip().millisToFlagDisabled()).as("flag disabled in the store").isGreaterThanOrEqualTo(0);

        Results results = new Results();
        results.machine = MachineInfo.current();
        results.databases.add(db);
        results.jmh.addAll(List.of(
                new JmhResult("RoutingBenchmark", "baseline_directRead", 1, 2, 0.1, 0, 0),
                new JmhResult("RoutingBenchmark", "baseline_directWrite", 1, 2, 0.1, 0, 0),
                new JmhResult("RoutingBenchmark", "baseline_directWriteBoth", 1, 4, 0.1, 0, 0),
                new JmhResult("RoutingBenchmark", "baseline_openFeatureEvaluation", 1, 300, 10, 500, 0),
                new JmhResult("RoutingBenchmark", "proxyRead_live", 1, 380, 12, 560, 0),
                new JmhResult("RoutingBenchmark", "isolatedRead_live", 1, 60, 3, 0, 0),
                new JmhResult("BreakerBenchmark", "recordSuccess_flagway", 1, 20, 1, 0, 0),
                new JmhResult("BreakerBenchmark", "recordSuccess_resilience4j", 1, 60, 2, 48, 0)));
        results.jmh.addAll(JmhResult.fromTsv(List.of(results.jmh.get(0).toTsv().replace("directRead", "extra"))));
        results.backfillNotMeasured = "smoke test";
        String markdown = new Report(results).markdown();
        assertThat(markdown).contains("| proxy read, live | 380.0 ± 12.0 | 560 | 190.0 | 78.0 ± 15.6 | 60 |")
                .contains("| proxy read, live | 60.0 ± 3.0 | 0 | 58.0 ± 3.0 | 0 | met |")
                .contains("| record success, 1 thread | 20.0 ± 1.0 | 0 | 60.0 ± 2.0 | 48 | 0.33 | met |")
                .contains("| H2 | 100 |").contains("| H2 | 40 |");

        assumeTrue(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames().length > 0,
                "no fonts to draw the chart with");
        Path png = dir.resolve("chart.png");
        new Chart(results).write(png);
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }

    @Test
    void mysql8IsFoundAsTheTestsFindItAndReachedThroughConnectorJ() {
        DbTarget mysql8 = DbTarget.named("mysql8");

        assertThat(mysql8.url()).startsWith("jdbc:mysql:");
        assertThat(mysql8.isMySql()).isTrue();
        assertThat(mysql8.unreachableReason()).isNull();
        assertThat(mysql8.serverVersion()).startsWith("MySQL 8.");
    }

    /**
     * Calls every {@link Benchmark} method of {@code bench} once, passing {@code caller} where one is
     * taken, or, with no caller given, a fresh instance of the state the method takes.
     */
    private static void invokeAll(Object bench, Object caller) throws Exception {
        for (Method m : bench.getClass().getMethods()) {
            if (m.isAnnotationPresent(Benchmark.class)) {
                Object state = m.getParameterCount() == 0 || caller != null ? caller
                        : m.getParameterTypes()[0].getConstructor().newInstance();
                m.invoke(bench, m.getParameterCount() == 0 ? new Object[0] : new Object[] {state});
            }
        }
    }
}
