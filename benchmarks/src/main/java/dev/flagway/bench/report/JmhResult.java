package dev.flagway.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One JMH benchmark's result.
 *
 * @param benchmark the class's simple name, e.g. {@code RoutingBenchmark}
 * @param method the method, e.g. {@code proxyRead_live}
 * @param threads benchmark threads
 * @param score average time per operation (per thread), in ns
 * @param error the 99.9% confidence half-interval of {@code score}
 * @param allocBytes bytes allocated per operation ({@code gc.alloc.rate.norm}), NaN when not profiled
 * @param allocError its confidence half-interval
 */
public record JmhResult(String benchmark, String method, int threads, double score, double error,
                        double allocBytes, double allocError) implements java.io.Serializable {

    /** A tab-separated line for the results cache. */
    public String toTsv() {
        return String.join("\t", benchmark, method, Integer.toString(threads), num(score), num(error),
                num(allocBytes), num(allocError));
    }

    /** Parses {@link #toTsv()}'s lines. */
    public static List<JmhResult> fromTsv(List<String> lines) {
        List<JmhResult> results = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            results.add(new JmhResult(f[0], f[1], Integer.parseInt(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6])));
        }
        return results;
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.6f", d);
    }
}
