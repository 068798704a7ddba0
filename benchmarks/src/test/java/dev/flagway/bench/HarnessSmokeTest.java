package dev.flagway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flagway.bench.db.DbBenchmarks;
import dev.flagway.bench.db.DbResults;
import dev.flagway.bench.db.DbSettings;
import dev.flagway.bench.db.DbTarget;
import dev.flagway.bench.jmh.BreakerBenchmark;
import dev.flagway.bench.jmh.ComponentsBenchmark;
import dev.flagway.bench.jmh.FlagEvaluationBenchmark;
import dev.flagway.bench.jmh.RoutingBenchmark;
import dev.flagway.bench.report.Chart;
import dev.flagway.bench.report.JmhResult;
import dev.flagway.bench.report.MachineInfo;
import dev.flagway.bench.report.Report;
import dev.flagway.bench.report.Results;
import java.awt.GraphicsEnvironment;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** Calls every {@link Benchmark} method of {@code bench} once, passing {@code caller} where one is taken. */
    private static void invokeAll(Object bench, Object caller) throws Exception {
        for (Method m : bench.getClass().getMethods()) {
            if (m.isAnnotationPresent(Benchmark.class)) {
                m.invoke(bench, m.getParameterCount() == 0 ? new Object[0] : new Object[] {caller});
            }
        }
    }
}
