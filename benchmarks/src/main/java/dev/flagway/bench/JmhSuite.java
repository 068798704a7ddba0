package dev.flagway.bench;

import dev.flagway.bench.report.JmhResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks of items 1-3 with the GC profiler and collects their results. The
 * benchmarks that go through the OpenFeature SDK get a longer warm-up: on a busy 2-CPU machine the
 * JIT needs seconds to compile the SDK's evaluation path.
 */
final class JmhSuite {
    /**
     * How long JMH measures one group of benchmarks.
     *
     * @param include regex over the benchmarks' full names
     * @param warmups warm-up iterations
     * @param warmupMillis milliseconds per warm-up iteration
     * @param iterations measured iterations
     * @param millis milliseconds per measured iteration
     */
    record Group(String include, int warmups, int warmupMillis, int iterations, int millis) {
        String describe() {
            return warmups + " × " + warmupMillis + " ms warm-up, " + iterations + " × " + millis + " ms measurement";
        }
    }

    /** The quick run: about six minutes for all the JMH benchmarks. */
    static List<Group> quick() {
        return List.of(
                new Group("\\.(RoutingBenchmark|FlagEvaluationBenchmark|LaunchDarkly\\w*Benchmark)\\.", 6, 1000, 6, 500),
                new Group("\\.(BreakerBenchmark|ComponentsBenchmark)\\.", 2, 500, 8, 500));
    }

    /** A longer run. */
    static List<Group> full() {
        return List.of(
                new Group("\\.(RoutingBenchmark|FlagEvaluationBenchmark|LaunchDarkly\\w*Benchmark)\\.", 8, 1000, 15, 1000),
                new Group("\\.(BreakerBenchmark|ComponentsBenchmark)\\.", 5, 1000, 15, 1000));
    }

    static String describe(List<Group> groups) {
        StringBuilder s = new StringBuilder("1 fork each, average time, `-prof gc`, -Xms1g -Xmx1g; ");
        for (int i = 0; i < groups.size(); i++) {
            s.append(i == 0 ? "routing, evaluation and LaunchDarkly: " : "; breaker and components: ").append(groups.get(i).describe());
        }
        return s.toString();
    }

    private JmhSuite() {
    }

    /**
     * Runs the benchmarks of {@code groups} that also match {@code filter}; each group's raw JSON goes
     * to {@code rawPrefix + index + ".json"}.
     */
    static List<JmhResult> run(List<Group> groups, String filter, String rawPrefix) throws RunnerException {
        List<JmhResult> results = new ArrayList<>();
        Pattern only = Pattern.compile(filter);
        for (int i = 0; i < groups.size(); i++) {
            Group group = groups.get(i);
            Pattern in = Pattern.compile(group.include());
            boolean any = benchmarkNames().stream()
                    .anyMatch(name -> in.matcher(name).find() && only.matcher(name).find());
            if (!any) {
                continue;
            }
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include("^(?=.*(?:" + group.include() + "))(?=.*(?:" + filter + ")).*$")
                    .forks(1)
                    .warmupIterations(group.warmups())
                    .warmupTime(TimeValue.milliseconds(group.warmupMillis()))
                    .measurementIterations(group.iterations())
                    .measurementTime(TimeValue.milliseconds(group.millis()))
                    .addProfiler(GCProfiler.class)
                    .jvmArgsAppend("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            "-Djava.awt.headless=true")
                    .shouldFailOnError(true)
                    .resultFormat(ResultFormatType.JSON)
                    .result(rawPrefix + i + ".json");
            Collection<RunResult> runs = new Runner(options.build()).run();
            for (RunResult run : runs) {
                String name = run.getParams().getBenchmark();
                if (!in.matcher(name).find() || !only.matcher(name).find()) {
                    continue;
                }
                results.add(toResult(run));
            }
        }
        return results;
    }

    /** The benchmarks compiled into this jar (JMH's generated list). */
    static List<String> benchmarkNames() {
        try (InputStream in = JmhSuite.class.getResourceAsStream("/" + BenchmarkList.BENCHMARK_LIST.replaceFirst("^/", ""))) {
            if (in == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (BenchmarkListEntry entry : BenchmarkList.readBenchmarkList(in)) {
                names.add(entry.getUsername());
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("rawtypes") // JMH's RunResult.getSecondaryResults() is a Map<String, Result>
    private static JmhResult toResult(RunResult run) {
        String full = run.getParams().getBenchmark();
        int dot = full.lastIndexOf('.');
        String method = full.substring(dot + 1); // with its parameters' values appended, e.g. ldRead:live
        String className = full.substring(0, dot);
        String simple = className.substring(className.lastIndexOf('.') + 1);
        Result<?> primary = run.getPrimaryResult();
        double alloc = Double.NaN;
        double allocError = Double.NaN;
        for (var e : run.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                alloc = e.getValue().getScore();
                allocError = e.getValue().getScoreError();
            }
        }
        for (String param : run.getParams().getParamsKeys()) {
            method += ":" + run.getParams().getParam(param);
        }
        return new JmhResult(simple, method, run.getParams().getThreads(), primary.getScore(),
                primary.getScoreError(), alloc, allocError);
    }
}
