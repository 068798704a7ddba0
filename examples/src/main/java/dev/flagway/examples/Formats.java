package dev.flagway.examples;

import java.time.Duration;
import java.util.Locale;

/** How the demo prints numbers, the same on the console and in the HTML report. */
final class Formats {
    private Formats() {
    }

    /** {@code 250ms}, {@code 3s}, {@code 2.5s}, {@code 5m}. */
    static String duration(Duration d) {
        long millis = d.toMillis();
        if (millis < 1_000) {
            return millis + "ms";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1_000 == 0 ? millis / 1_000 + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    /** Milliseconds with a precision that suits them: {@code 0.42}, {@code 3.1}, {@code 2004}. */
    static String millis(double ms) {
        return String.format(Locale.ROOT, ms < 1 ? "%.2f" : ms < 100 ? "%.1f" : "%.0f", ms);
    }

    /** A count with thousands separators. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** The first line of the root cause's message, without the MariaDB driver's connection number. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message).replaceFirst("^\\(conn=\\d+\\) ", "").trim();
    }

    /** A share as a percentage: {@code 0%}, {@code 9.8%}, {@code 100%}; a dash for NaN (nothing to share). */
    static String percent(double share) {
        if (Double.isNaN(share)) {
            return "-";
        }
        double p = share * 100;
        return p == 0 || p == 100 ? String.format(Locale.ROOT, "%.0f%%", p) : String.format(Locale.ROOT, "%.1f%%", p);
    }
}
