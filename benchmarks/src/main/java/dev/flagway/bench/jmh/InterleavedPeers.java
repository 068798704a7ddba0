package dev.flagway.bench.jmh;

import dev.flagway.bench.db.DbResults;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Item 8 again, outside JMH, for ratios a busy machine cannot skew: in one JVM, at each stage, the
 * seven calls of {@link LaunchDarklyBenchmark} take turns in batches of {@code batch} calls, in a
 * rotating order, round after round; each batch is timed as a whole, and a variant's figure is the
 * median of its batches, a ratio the median of the rounds' ratios. A burst of load from other
 * processes lands on a few batches of every variant alike instead of on one variant's whole trial.
 */
public final class InterleavedPeers {
    /** The calls compared, by the name of their {@link LaunchDarklyBenchmark} method. */
    static final List<String> VARIANTS = List.of("ldRead", "ldReadSerial", "proxyRead", "lambdaRead", "ldWrite",
            "proxyWrite", "lambdaWrite");

    private InterleavedPeers() {
    }

    /**
     * One stage's figures.
     *
     * @param stage the stage, as LaunchDarkly spells it
     * @param medianNanos per variant (in {@link #VARIANTS} order), the median ns per call of its batches
     * @param ratios per comparison ("ldRead/proxyRead", ...), the median of the rounds' ratios
     */
    public record StageTiming(String stage, double[] medianNanos, Map<String, Double> ratios) implements Serializable {
        /** The median ns per call of {@code variant}. */
        public double nanos(String variant) {
            return medianNanos[VARIANTS.indexOf(variant)];
        }
    }

    /** Measures every stage: {@code warmupMillis} of warm-up, then {@code rounds} rounds of {@code batch} calls. */
    public static List<StageTiming> run(long warmupMillis, int rounds, int batch, Consumer<String> log) {
        List<StageTiming> all = new ArrayList<>();
        for (String stage : List.of("off", "dualwrite", "shadow", "live", "rampdown", "complete")) {
            log.accept("item 8, interleaved: " + stage);
            all.add(stage(stage, warmupMillis, rounds, batch));
        }
        return all;
    }

    private static StageTiming stage(String stage, long warmupMillis, int rounds, int batch) {
        LaunchDarklyBenchmark bench = new LaunchDarklyBenchmark();
        bench.stage = stage;
        bench.setUp();
        try {
            LaunchDarklyBenchmark.Caller c = new LaunchDarklyBenchmark.Caller();
            c.setUp(bench);
            List<Runnable> calls = List.of(() -> bench.ldRead(c), () -> bench.ldReadSerial(c), () -> bench.proxyRead(c),
                    () -> bench.lambdaRead(c), () -> bench.ldWrite(c), () -> bench.proxyWrite(c),
                    () -> bench.lambdaWrite(c));
            long warmUntil = System.nanoTime() + warmupMillis * 1_000_000;
            while (System.nanoTime() < warmUntil) {
                calls.forEach(call -> time(call, batch));
            }
            int n = calls.size();
            double[][] perCall = new double[n][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int turn = 0; turn < n; turn++) {
                    int v = (turn + round) % n;
                    perCall[v][round] = time(calls.get(v), batch);
                }
            }
            double[] medians = new double[n];
            for (int v = 0; v < n; v++) {
                medians[v] = DbResults.median(perCall[v]);
            }
            Map<String, Double> ratios = new LinkedHashMap<>();
            for (String[] pair : new String[][] {{"ldRead", "proxyRead"}, {"ldRead", "lambdaRead"},
                    {"ldReadSerial", "proxyRead"}, {"ldWrite", "proxyWrite"}, {"ldWrite", "lambdaWrite"}}) {
                double[] a = perCall[VARIANTS.indexOf(pair[0])];
                double[] b = perCall[VARIANTS.indexOf(pair[1])];
                double[] r = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    r[i] = a[i] / b[i];
                }
                ratios.put(pair[0] + "/" + pair[1], DbResults.median(r));
            }
            return new StageTiming(stage, medians, ratios);
        } finally {
            bench.tearDown();
        }
    }

    /** Nanoseconds per call over {@code batch} calls. */
    private static double time(Runnable call, int batch) {
        long start = System.nanoTime();
        for (int i = 0; i < batch; i++) {
            call.run();
        }
        return (System.nanoTime() - start) / (double) batch;
    }
}
