package dev.flagway.bench;

import dev.flagway.bench.report.JmhResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH benchmarks of items 1-3 with the GC profiler and collects their results. */
final class JmhSuite {
    /**
     * How long JMH measures.
     *
     * @param warmups warm-up iterations
     * @param iterations measured iterations
     * @param seconds seconds per iteration
     */
    record Settings(int warmups, int iterations, int seconds) {
        static Settings quick() {
            return new Settings(2, 4, 1);
        }

        static Settings full() {
            return new Settings(3, 8, 2);
        }

        String describe() {
            return "1 fork, " + warmups + " × " + seconds + " s warm-up, " + iterations + " × " + seconds
                    + " s measurement, average time, `-prof gc`, -Xms1g -Xmx1g";
        }
    }

    private JmhSuite() {
    }

    /** Runs the benchmarks matching {@code include} (a regex over the full names); raw JSON goes to {@code rawJson}. */
    static List<JmhResult> run(Settings settings, String include, String rawJson) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .forks(1)
                .warmupIterations(settings.warmups())
                .warmupTime(TimeValue.seconds(settings.seconds()))
                .measurementIterations(settings.iterations())
                .measurementTime(TimeValue.seconds(settings.seconds()))
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-Djava.awt.headless=true")
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(rawJson);
        Collection<RunResult> runs = new Runner(options.build()).run();
        List<JmhResult> results = new ArrayList<>();
        for (RunResult run : runs) {
            String full = run.getParams().getBenchmark();
            int dot = full.lastIndexOf('.');
            String method = full.substring(dot + 1);
            String className = full.substring(0, dot);
            String simple = className.substring(className.lastIndexOf('.') + 1);
            Result<?> primary = run.getPrimaryResult();
            double alloc = Double.NaN;
            double allocError = Double.NaN;
            for (Map.Entry<String, Result> e : run.getSecondaryResults().entrySet()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    alloc = e.getValue().getScore();
                    allocError = e.getValue().getScoreError();
                }
            }
            results.add(new JmhResult(simple, method, run.getParams().getThreads(), primary.getScore(),
                    primary.getScoreError(), alloc, allocError));
        }
        return results;
    }
}
