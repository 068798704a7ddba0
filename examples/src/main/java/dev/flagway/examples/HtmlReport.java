package dev.flagway.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The {@code --report FILE.html} page: one self-contained file (inline CSS and SVG, no script, no
 * web font) with each run's timeline (share of reads from the new column, error rates, p95 latency,
 * phases shaded), what each phase does in words ({@link PhaseGuide}), the promises, the per-phase
 * table and the figures, and the naive run beside it, its latency drawn on the same scale.
 */
final class HtmlReport {
    private static final int WIDTH = 1080;
    private static final int LEFT = 64;
    private static final int RIGHT = 72;
    private static final int TOP = 104;
    private static final int PANEL = 96;
    private static final int GAP = 30;

    private final StringBuilder html = new StringBuilder();
    /** The top of every run's latency panel: one scale, so that the runs compare at a glance. */
    private final double latencyScale;
    private final boolean compared;

    private HtmlReport(double latencyScale, boolean compared) {
        this.latencyScale = latencyScale;
        this.compared = compared;
    }

    /** Writes the report for {@code flagway} (and {@code naive}, if it ran) to {@code file}. */
    static void write(Path file, String heading, String setup, RunResult flagway, Optional<RunResult> naive)
            throws IOException {
        double worstP95 = Stream.concat(Stream.of(flagway), naive.stream()).flatMap(run -> run.ticks().stream())
                .mapToDouble(Tick::p95).max().orElse(1);
        HtmlReport r = new HtmlReport(niceCeiling(worstP95), naive.isPresent());
        r.page(heading, setup, flagway, naive);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, r.html, StandardCharsets.UTF_8);
    }

    private void page(String heading, String setup, RunResult flagway, Optional<RunResult> naive) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>").append(esc(heading)).append("</title><style>")
                .append("body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
                        + "color:#1d2330;margin:24px auto;max-width:1100px;padding:0 16px}"
                        + "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde1e8;"
                        + "padding-bottom:4px}.sub{color:#5b6475;margin:0 0 14px}"
                        + ".verdict{display:inline-block;padding:6px 12px;border-radius:6px;font-weight:600}"
                        + ".ok{background:#e3f5e9;color:#16663a}.bad{background:#fde8e8;color:#9b1c1c}"
                        + "table{border-collapse:collapse;font-size:13px}th,td{padding:4px 9px;border-bottom:1px solid #eceef2;"
                        + "text-align:right;white-space:nowrap}th{background:#f5f6f8;font-weight:600}"
                        + "td:first-child,th:first-child{text-align:left}td.wrap{white-space:normal;text-align:left}"
                        + ".zero{color:#9aa3b2}.hot{color:#b42318;font-weight:600}"
                        + "svg{display:block;max-width:100%;height:auto}svg text{font-family:inherit}"
                        + ".legend span{display:inline-block;margin-right:16px;font-size:12px;color:#5b6475}"
                        + ".legend i{display:inline-block;width:18px;height:3px;vertical-align:middle;margin-right:5px}")
                .append("</style></head><body>\n");
        html.append("<h1>").append(esc(heading)).append("</h1>\n<p class=\"sub\">").append(esc(setup)).append("</p>\n");
        boolean kept = flagway.promisesKept();
        html.append("<div class=\"verdict ").append(kept ? "ok\">&#10003; Every promise kept" : "bad\">&#10007; A promise was broken")
                .append("</div>\n");
        run(flagway);
        html.append("<h2>Promises</h2>\n<table><tr><th>promise</th><th>kept</th><th style=\"text-align:left\">evidence</th></tr>\n");
        for (RunResult.Promise p : flagway.promises()) {
            html.append("<tr><td>").append(esc(p.description())).append("</td><td class=\"").append(p.kept() ? "" : "hot")
                    .append("\">").append(p.kept() ? "yes" : "NO").append("</td><td class=\"wrap\">")
                    .append(esc(p.evidence())).append("</td></tr>\n");
        }
        html.append("</table>\n");
        naive.ifPresent(n -> {
            html.append("<h2>The same traffic against a naive migration</h2>\n");
            sideBySide(flagway, n);
            run(n);
        });
        html.append("</body></html>\n");
    }

    private void run(RunResult run) {
        html.append("<h2>").append(esc(run.title())).append(": timeline</h2>\n");
        html.append("<div class=\"legend\"><span><i style=\"background:#2f6fdf\"></i>reads answered from the new column</span>"
                + "<span><i style=\"background:#d92d20\"></i>failed requests</span>"
                + "<span><i style=\"background:#f79009\"></i>new-column calls failing (callers got the legacy answer where "
                + "there is a fallback)</span>"
                + "<span><i style=\"background:#7a5af8\"></i>p95 latency</span></div>\n");
        chart(run);
        phaseGuide(run);
        html.append("<h2>").append(esc(run.title())).append(": by phase</h2>\n<table><tr><th>phase</th><th>seconds</th>"
                + "<th>requests</th><th>failed</th><th>wrong</th><th>fallbacks</th><th>shadow mismatches</th>"
                + "<th>new column</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th></tr>\n");
        for (PhaseResult p : run.phases()) {
            html.append("<tr><td>").append(esc(p.name())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f&ndash;%.1f", p.startSecond(), p.endSecond())).append("</td>");
            cell(Formats.count(p.requests()), false);
            cell(Formats.count(p.failed()), p.failed() > 0);
            cell(Formats.count(p.wrong()), p.wrong() > 0);
            cell(Formats.count(p.fallbacks()), false);
            cell(Formats.count(p.shadowMismatches()), p.shadowMismatches() > 0);
            cell(Formats.percent(p.modernShare()), false);
            cell(Formats.millis(p.p50()), false);
            cell(Formats.millis(p.p95()), false);
            cell(Formats.millis(p.p99()), p.p99() >= DemoDatabase.REQUEST_DEADLINE.toMillis() / 2.0);
            html.append("</tr>\n");
        }
        html.append("</table>\n<h2>").append(esc(run.title())).append(": figures</h2>\n<table>\n");
        for (RunResult.Fact f : run.facts()) {
            html.append("<tr><td>").append(esc(f.label())).append("</td><td class=\"wrap\">").append(esc(f.value()))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    /** What each phase of {@code run} does, in the order it ran. */
    private void phaseGuide(RunResult run) {
        html.append("<h2>").append(esc(run.title())).append(": what each phase does</h2>\n<table>"
                + "<tr><th>phase</th><th style=\"text-align:left\">what happens</th></tr>\n");
        for (PhaseResult p : run.phases()) {
            PhaseGuide.describe(run.title(), p.name()).ifPresent(text -> html.append("<tr><td>").append(esc(p.name()))
                    .append("</td><td class=\"wrap\">").append(esc(text)).append("</td></tr>\n"));
        }
        html.append("</table>\n");
    }

    private void sideBySide(RunResult flagway, RunResult naive) {
        html.append("<table><tr><th></th><th>").append(esc(flagway.title())).append("</th><th>").append(esc(naive.title()))
                .append("</th></tr>\n");
        row("requests", flagway.requests(), naive.requests());
        row("failed requests", flagway.failed(), naive.failed());
        row("wrong answers", flagway.wrong(), naive.wrong());
        row("lost writes", flagway.lostWrites(), naive.lostWrites());
        html.append("<tr><td>worst phase p99 (ms)</td><td>").append(Formats.millis(flagway.worstP99())).append("</td><td>")
                .append(Formats.millis(naive.worstP99())).append("</td></tr>\n</table>\n");
    }

    private void row(String label, long flagway, long naive) {
        html.append("<tr><td>").append(label).append("</td>");
        boolean bad = !label.equals("requests");
        cell(Formats.count(flagway), bad && flagway > 0);
        cell(Formats.count(naive), bad && naive > 0);
        html.append("</tr>\n");
    }

    private void cell(String text, boolean hot) {
        html.append("<td").append(hot ? " class=\"hot\"" : text.equals("0") || text.equals("0%") ? " class=\"zero\"" : "")
                .append('>').append(text).append("</td>");
    }

    /** Three panels over one time axis, the phases shaded behind them. */
    private void chart(RunResult run) {
        List<Tick> ticks = run.ticks();
        List<PhaseResult> phases = run.phases();
        double end = phases.isEmpty() ? 1 : phases.get(phases.size() - 1).endSecond();
        int height = TOP + 3 * PANEL + 2 * GAP + 34;
        int plotWidth = WIDTH - LEFT - RIGHT;
        html.append(String.format(Locale.ROOT, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
                + "aria-label=\"%s timeline\" xmlns=\"http://www.w3.org/2000/svg\">\n", WIDTH, height, WIDTH, height,
                esc(run.title())));
        for (int i = 0; i < phases.size(); i++) {
            PhaseResult p = phases.get(i);
            double x0 = x(p.startSecond(), end, plotWidth);
            double x1 = x(p.endSecond(), end, plotWidth);
            html.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                    + "<title>%s</title></rect>\n", x0, TOP, Math.max(0.5, x1 - x0), 3 * PANEL + 2 * GAP,
                    i % 2 == 0 ? "#f3f5f9" : "#ffffff", esc(p.name())));
            html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#3d4556\" "
                    + "transform=\"rotate(-32 %.1f %d)\">%s</text>\n", (x0 + x1) / 2, TOP - 24, (x0 + x1) / 2, TOP - 24,
                    esc(p.name())));
        }
        panel(0, "reads from new column", "%", 100, ticks, end, plotWidth,
                new Series(t -> t.modernShare() * 100, "#2f6fdf", true, ""));
        panel(1, "errors", "%", 100, ticks, end, plotWidth,
                new Series(t -> t.modernErrorRate() * 100, "#f79009", false, "5 4"),
                new Series(t -> t.failureRate() * 100, "#d92d20", false, ""));
        panel(2, compared ? "p95 latency, on the same scale for both runs" : "p95 latency", "ms", latencyScale, ticks,
                end, plotWidth, new Series(Tick::p95, "#7a5af8", false, ""));
        int axisY = TOP + 3 * PANEL + 2 * GAP;
        double step = end > 90 ? 20 : end > 40 ? 10 : 5;
        for (double s = 0; s <= end + 1e-9; s += step) {
            double xs = x(s, end, plotWidth);
            html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#5b6475\" "
                    + "text-anchor=\"middle\">%.0fs</text>\n", xs, axisY + 16, s));
        }
        html.append("</svg>\n");
    }

    private void panel(int index, String label, String unit, double max, List<Tick> ticks, double end, int plotWidth,
                       Series... series) {
        int top = TOP + index * (PANEL + GAP);
        int bottom = top + PANEL;
        html.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"600\" "
                + "fill=\"#1d2330\">%s (%s)</text>\n", LEFT, top - 6, esc(label), unit));
        for (double f : new double[] {0, 0.5, 1}) {
            double y = bottom - f * PANEL;
            html.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#d5d9e0\" "
                    + "stroke-width=\"1\"/><text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"#5b6475\" "
                    + "text-anchor=\"end\">%s</text>\n", LEFT, LEFT + plotWidth, y, y, LEFT - 6, y + 4,
                    Formats.millis(f * max).replaceAll("\\.0+$", "")));
        }
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (Tick t : ticks) {
                double raw = s.value.applyAsDouble(t);
                if (Double.isNaN(raw)) {
                    continue;
                }
                double value = Math.min(max, raw);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(t.second(), end, plotWidth),
                        bottom - value / max * PANEL));
            }
            if (s.filled && points.length() > 0) {
                html.append(String.format(Locale.ROOT, "<polygon points=\"%.1f,%d %s%.1f,%d\" fill=\"%s\" "
                        + "fill-opacity=\"0.18\"/>\n", x(ticks.get(0).second(), end, plotWidth), bottom, points,
                        x(ticks.get(ticks.size() - 1).second(), end, plotWidth), bottom, s.color));
            }
            html.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"1.8\" stroke-linejoin=\"round\"%s/>\n", points, s.color,
                    s.dash.isEmpty() ? "" : " stroke-dasharray=\"" + s.dash + "\""));
        }
    }

    private static double x(double second, double end, int plotWidth) {
        return LEFT + second / end * plotWidth;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value}. */
    private static double niceCeiling(double value) {
        double power = Math.pow(10, Math.floor(Math.log10(Math.max(value, 1e-3))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= value) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** One line of a panel. */
    private static final class Series {
        final ToDoubleFunction<Tick> value;
        final String color;
        final boolean filled;
        final String dash;

        Series(ToDoubleFunction<Tick> value, String color, boolean filled, String dash) {
            this.value = value;
            this.color = color;
            this.filled = filled;
            this.dash = dash;
        }
    }
}
