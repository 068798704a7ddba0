package dev.flagway.examples;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;

/** The final report on the console: phases, figures, promises and, with {@code --compare-naive}, both runs side by side. */
final class ConsoleReport {
    private static final String ROW = "%-22s %11s %9s %7s %6s %9s %8s %7s %8s %8s %8s%n";

    private ConsoleReport() {
    }

    static void print(PrintStream out, RunResult flagway, Optional<RunResult> naive) {
        out.println();
        out.println("=== Report ===");
        phases(out, flagway);
        out.println();
        for (RunResult.Fact fact : flagway.facts()) {
            out.printf(Locale.ROOT, "%-36s %s%n", fact.label(), fact.value());
        }
        naive.ifPresent(n -> sideBySide(out, flagway, n));
        out.println();
        out.println("Promises:");
        for (RunResult.Promise p : flagway.promises()) {
            out.printf(Locale.ROOT, "  [%s] %s: %s%n", p.kept() ? "kept" : "BROKEN", p.description(), p.evidence());
        }
        out.println(flagway.promisesKept() ? "All promises kept." : "A PROMISE WAS BROKEN.");
    }

    private static void phases(PrintStream out, RunResult run) {
        out.println();
        out.println(run.title() + ", by phase (latency in ms):");
        out.printf(Locale.ROOT, ROW, "phase", "seconds", "requests", "failed", "wrong", "fallbacks", "mismatch",
                "new col", "p50", "p95", "p99");
        for (PhaseResult p : run.phases()) {
            out.printf(Locale.ROOT, ROW, p.name(), String.format(Locale.ROOT, "%.1f-%.1f", p.startSecond(), p.endSecond()),
                    Formats.count(p.requests()), Formats.count(p.failed()), Formats.count(p.wrong()),
                    Formats.count(p.fallbacks()), Formats.count(p.shadowMismatches()), Formats.percent(p.modernShare()),
                    Formats.millis(p.p50()), Formats.millis(p.p95()), Formats.millis(p.p99()));
        }
    }

    private static void sideBySide(PrintStream out, RunResult flagway, RunResult naive) {
        phases(out, naive);
        out.println();
        for (RunResult.Fact fact : naive.facts()) {
            out.printf(Locale.ROOT, "%-36s %s%n", fact.label(), fact.value());
        }
        out.println();
        out.println("Side by side, the same traffic:");
        String row = "  %-30s %14s %14s%n";
        out.printf(Locale.ROOT, row, "", flagway.title(), naive.title());
        out.printf(Locale.ROOT, row, "requests", Formats.count(flagway.requests()), Formats.count(naive.requests()));
        out.printf(Locale.ROOT, row, "failed requests", Formats.count(flagway.failed()), Formats.count(naive.failed()));
        out.printf(Locale.ROOT, row, "wrong answers", Formats.count(flagway.wrong()), Formats.count(naive.wrong()));
        out.printf(Locale.ROOT, row, "lost writes", Formats.count(flagway.lostWrites()), Formats.count(naive.lostWrites()));
        out.printf(Locale.ROOT, row, "worst phase p99 (ms)", Formats.millis(flagway.worstP99()), Formats.millis(naive.worstP99()));
    }
}
