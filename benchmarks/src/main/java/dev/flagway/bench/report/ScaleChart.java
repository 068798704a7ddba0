package dev.flagway.bench.report;

import dev.flagway.bench.db.DbResults;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Item 11's chart, {@code docs/benchmarks-scale.png}: the backfill's rows per second, second by second,
 * one line per database and size, against the share of the backfill's duration (from its first
 * progress report to its last), so that a 1M-row and a 10M-row run can be read on one axis; each
 * line's legend gives its length in seconds.
 */
public final class ScaleChart {
    private static final int WIDTH = 1600;
    private static final int HEIGHT = 800;
    private static final Color[] COLORS = {Chart.FLAGWAY, Chart.OTHER, new Color(0x2c, 0xa0, 0x2c),
            new Color(0x94, 0x67, 0xbd), Chart.BASELINE, Chart.GOAL};

    private final Results results;

    /** A chart of {@code results}' item 11. */
    public ScaleChart(Results results) {
        this.results = results;
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
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 24));
            g.drawString("Backfill rows/s, second by second, default settings, application running", 30, 40);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
            g.drawString(results.machine.startedAt() + ", " + results.machine.processors() + " CPUs, load average "
                    + results.machine.loadAtStart() + " at the start", 30, 64);
            int left = 120;
            int right = WIDTH - 560;
            int top = 100;
            int bottom = HEIGHT - 70;
            double max = 0;
            for (DbResults.Scale s : results.scale) {
                for (double[] r : s.rowsPerSecond()) {
                    max = Math.max(max, r[1]);
                }
            }
            max = max <= 0 ? 1 : Math.ceil(max / 50_000) * 50_000;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
            for (int i = 0; i <= 5; i++) {
                int y = bottom - (bottom - top) * i / 5;
                g.setColor(new Color(0xdd, 0xdd, 0xdd));
                g.drawLine(left, y, right, y);
                g.setColor(Color.DARK_GRAY);
                String label = String.format(Locale.ROOT, "%,.0f", max * i / 5);
                g.drawString(label, left - 10 - g.getFontMetrics().stringWidth(label), y + 5);
                int x = left + (right - left) * i / 5;
                g.drawString((i * 20) + "%", x - 12, bottom + 22);
            }
            g.drawString("share of the backfill's duration", (left + right) / 2 - 100, bottom + 48);
            g.drawString("rows/s", 20, top - 10);
            List<DbResults.Scale> all = results.scale;
            for (int k = 0; k < all.size(); k++) {
                DbResults.Scale s = all.get(k);
                List<double[]> rates = s.rowsPerSecond();
                double seconds = Math.max(1, s.walked().isEmpty() ? 1 : s.walked().get(s.walked().size() - 1)[0]);
                g.setColor(COLORS[k % COLORS.length]);
                g.setStroke(new BasicStroke(2.5f));
                int px = -1;
                int py = -1;
                for (double[] r : rates) {
                    int x = left + (int) Math.round((right - left) * Math.min(1, r[0] / seconds));
                    int y = bottom - (int) Math.round((bottom - top) * r[1] / max);
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    }
                    px = x;
                    py = y;
                }
                g.setStroke(new BasicStroke(1f));
                int ly = top + 30 + k * 34;
                g.fillRect(right + 30, ly - 12, 28, 12);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%s, %,d rows: %.0f s, %,.0f rows/s", s.database(), s.rows(),
                        s.backfill().seconds(), s.backfill().rowsPerSecond()), right + 66, ly);
            }
        } finally {
            g.dispose();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
