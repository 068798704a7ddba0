package dev.flagway.bench.report;

import dev.flagway.bench.db.DbResults;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The one chart of docs/BENCHMARKS.md, drawn headless with Java2D: four panels of horizontal bars,
 * one per group of items, each bar labelled with its value so that no axis needs reading.
 */
public final class Chart {
    static final Color FLAGWAY = new Color(0x1f, 0x6f, 0xb4);
    static final Color OTHER = new Color(0xe0, 0x7b, 0x1a);
    static final Color BASELINE = new Color(0x8c, 0x8c, 0x8c);
    static final Color GOAL = new Color(0xc0, 0x20, 0x20);
    private static final int WIDTH = 1800;
    private static final int HEIGHT = 1250;

    private final Results results;
    private final Report report;

    /** A chart of {@code results}. */
    public Chart(Results results) {
        this.results = results;
        this.report = new Report(results);
    }

    /**
     * One bar.
     *
     * @param label left of the bar
     * @param value its length
     * @param error the whisker's half-length (0: none)
     * @param color its colour
     * @param text the value written after it
     */
    record Bar(String label, double value, double error, Color color, String text) {
    }

    /** Draws the chart into {@code file} (PNG). */
    public void write(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 26));
            g.drawString("Flagway benchmarks — " + results.machine.processors() + " CPUs, "
                    + results.machine.cpuModel() + ", " + results.machine.startedAt(), 30, 42);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 17));
            g.setColor(Color.DARK_GRAY);
            g.drawString("Blue: Flagway.  Orange: the alternative.  Grey: baseline without Flagway.  Whiskers: JMH 99.9% "
                    + "error.  Cut bars: off the scale, value written.  Shared, noisy machine: read the ratios.",
                    30, 70);
            int top = 95;
            int w = (WIDTH - 90) / 2;
            int h = (HEIGHT - top - 45) / 2;
            panel(g, new Rectangle(30, top, w, h), "1. Flagway alone: ns per routed call (in memory, JMH)",
                    routingBars(), 100, "goal: Flagway's share < 100 ns", 800);
            panel(g, new Rectangle(60 + w, top, w, h), "2. Flag evaluation, 10% rollout: ns per call (JMH)",
                    evaluationBars(), Double.NaN, null, 400);
            panel(g, new Rectangle(30, top + h + 30, w, h), "3. Breaker: ns per recorded call (JMH)", breakerBars(),
                    Double.NaN, null);
            panel(g, new Rectangle(60 + w, top + h + 30, w, h), "4-6. Real databases: ratio to the same work without Flagway",
                    databaseBars(), 1.05, "read goal 1.05", 4.0);
        } finally {
            g.dispose();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private List<Bar> routingBars() {
        List<Bar> bars = new ArrayList<>();
        results.jmh(Report.ROUTING, "baseline_directRead").ifPresent(r -> bars.add(jmhBar("direct read (baseline)", r, BASELINE)));
        results.jmh(Report.ROUTING, "baseline_directWriteBoth")
                .ifPresent(r -> bars.add(jmhBar("direct write of both (baseline)", r, BASELINE)));
        for (Report.IsolatedRow row : report.isolatedRows()) {
            bars.add(jmhBar(row.label(), row.routed(), FLAGWAY));
        }
        return bars;
    }

    private List<Bar> evaluationBars() {
        List<Bar> bars = new ArrayList<>();
        for (Report.EvaluationRow row : report.evaluationRows()) {
            String name = row.provider().startsWith("Flagway") ? "Flagway" : row.provider().startsWith("OpenFeature")
                    ? "InMemoryProvider" : "flagd in-process";
            Color color = name.equals("Flagway") ? FLAGWAY : OTHER;
            bars.add(jmhBar(name + ", via client", row.viaClient(), color));
        }
        for (Report.EvaluationRow row : report.evaluationRows()) {
            String name = row.provider().startsWith("Flagway") ? "Flagway" : row.provider().startsWith("OpenFeature")
                    ? "InMemoryProvider" : "flagd in-process";
            Color color = name.equals("Flagway") ? FLAGWAY : OTHER;
            bars.add(jmhBar(name + ", provider call", row.direct(), color));
        }
        return bars;
    }

    private List<Bar> breakerBars() {
        List<Bar> bars = new ArrayList<>();
        for (Report.BreakerRow row : report.breakerRows()) {
            if (row.resilience4j() == null) {
                continue;
            }
            String path = row.path().replace("permission + record success", "permit + success")
                    .replace("record ", "").replace(", 1 thread", ", 1 t").replace(", 2 threads", ", 2 t");
            bars.add(jmhBar("Flagway, " + path, row.flagway(), FLAGWAY));
            bars.add(jmhBar("Resilience4j, " + path, row.resilience4j(), OTHER));
        }
        return bars;
    }

    private List<Bar> databaseBars() {
        List<Bar> bars = new ArrayList<>();
        for (DbResults.OnDatabase db : results.databases) {
            bars.add(ratioBar(db.database() + ": routed read ÷ plain", db.reads().meanRatio()));
            bars.add(ratioBar(db.database() + ": dual write ÷ single", db.writes().flagwayOverSingle()));
            bars.add(ratioBar(db.database() + ": dual write ÷ same SQL by hand", db.writes().flagwayOverManualSavepoint()));
        }
        for (DbResults.Backfill b : results.backfill) {
            bars.add(ratioBar(b.database() + ": backfill rows/s ÷ UPDATE's", b.throughputRatio()));
            if (b.tuned() != null) {
                bars.add(ratioBar(b.database() + ": tuned backfill rows/s ÷ UPDATE's",
                        b.tuned().rowsPerSecond() / b.update().rowsPerSecond()));
            }
            bars.add(ratioBar(b.database() + ": app p99 service time, backfill ÷ idle", b.p99Ratio(b.backfill())));
            bars.add(ratioBar(b.database() + ": app p99 response time, backfill ÷ idle",
                    b.responseP99Ratio(b.backfill())));
            bars.add(new Bar(b.database() + ": app p99 response time, UPDATE ÷ idle", b.responseP99Ratio(b.update()), 0,
                    BASELINE, String.format(Locale.ROOT, "%.1f×", b.responseP99Ratio(b.update()))));
        }
        return bars;
    }

    private static Bar jmhBar(String label, JmhResult r, Color color) {
        String alloc = Double.isNaN(r.allocBytes()) ? "" : ", " + Report.bytes(r) + " B";
        return new Bar(label, r.score(), r.error(), color, Report.fmt1(r.score()) + " ns" + alloc);
    }

    private static Bar ratioBar(String label, double ratio) {
        return new Bar(label, ratio, 0, FLAGWAY, String.format(Locale.ROOT, ratio >= 10 ? "%.1f×" : "%.3f×", ratio));
    }

    private static void panel(Graphics2D g, Rectangle area, String title, List<Bar> bars, double goal, String goalLabel) {
        panel(g, area, title, bars, goal, goalLabel, Double.NaN);
    }

    /** As above; bars longer than {@code clip} are drawn cut, with their value written out. */
    private static void panel(Graphics2D g, Rectangle area, String title, List<Bar> bars, double goal, String goalLabel,
                              double clip) {
        g.setColor(new Color(0xf6, 0xf6, 0xf6));
        g.fillRect(area.x, area.y, area.width, area.height);
        g.setColor(new Color(0xd0, 0xd0, 0xd0));
        g.drawRect(area.x, area.y, area.width, area.height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString(title, area.x + 14, area.y + 30);
        if (bars.isEmpty()) {
            g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 18));
            g.drawString("not measured in this run", area.x + 14, area.y + 70);
            return;
        }
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
        g.setFont(labelFont);
        FontMetrics fm = g.getFontMetrics();
        int labelWidth = 0;
        for (Bar b : bars) {
            labelWidth = Math.max(labelWidth, fm.stringWidth(b.label()));
        }
        int valueWidth = 150;
        int left = area.x + 18 + labelWidth + 10;
        int right = area.x + area.width - valueWidth;
        int top = area.y + 48;
        int bottom = area.y + area.height - 30;
        double max = 0;
        for (Bar b : bars) {
            max = Math.max(max, b.value() + b.error());
        }
        if (!Double.isNaN(clip)) {
            max = Math.min(max, clip);
        }
        if (!Double.isNaN(goal)) {
            max = Math.max(max, goal);
        }
        max = niceCeiling(max);
        int rowHeight = Math.max(14, Math.min(40, (bottom - top) / bars.size()));
        int barHeight = Math.max(8, rowHeight * 7 / 10);
        // grid
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics small = g.getFontMetrics();
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            int x = left + (int) Math.round((right - left) * (v / max));
            g.setColor(new Color(0xdd, 0xdd, 0xdd));
            g.drawLine(x, top - 4, x, top + rowHeight * bars.size());
            g.setColor(Color.GRAY);
            String tick = tick(v);
            g.drawString(tick, x - small.stringWidth(tick) / 2, top + rowHeight * bars.size() + 16);
        }
        g.setFont(labelFont);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = top + i * rowHeight;
            int barY = y + (rowHeight - barHeight) / 2;
            boolean cut = b.value() > max;
            int len = (int) Math.round((right - left) * (Math.min(b.value(), max) / max));
            g.setColor(Color.BLACK);
            g.drawString(b.label(), left - 10 - fm.stringWidth(b.label()), barY + barHeight / 2 + fm.getAscent() / 2 - 2);
            g.setColor(b.color());
            g.fillRect(left, barY, Math.max(1, len), barHeight);
            if (cut) {
                g.setColor(Color.WHITE);
                g.setStroke(new BasicStroke(3f));
                int x = left + len - 18;
                g.drawLine(x, barY + barHeight + 2, x + 6, barY - 2);
                g.drawLine(x + 7, barY + barHeight + 2, x + 13, barY - 2);
                g.setStroke(new BasicStroke(1f));
            }
            int end = left + len;
            if (b.error() > 0 && !cut) {
                int lo = left + (int) Math.round((right - left) * (Math.max(0, b.value() - b.error()) / max));
                int hi = left + (int) Math.round((right - left) * (Math.min(b.value() + b.error(), max) / max));
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(1.5f));
                int mid = barY + barHeight / 2;
                g.drawLine(lo, mid, hi, mid);
                g.drawLine(lo, mid - 4, lo, mid + 4);
                g.drawLine(hi, mid - 4, hi, mid + 4);
                end = Math.max(end, hi);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(b.text(), end + 6, barY + barHeight / 2 + fm.getAscent() / 2 - 2);
        }
        if (!Double.isNaN(goal)) {
            int x = left + (int) Math.round((right - left) * (goal / max));
            g.setColor(GOAL);
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
            g.drawLine(x, top - 8, x, top + rowHeight * bars.size());
            g.setStroke(new BasicStroke(1f));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(goalLabel, x + 4, top + rowHeight * bars.size() + 34);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String tick(double v) {
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
