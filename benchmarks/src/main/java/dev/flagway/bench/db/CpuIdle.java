package dev.flagway.bench.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's idle CPU share between two readings of {@code /proc/stat}'s first line (all CPUs:
 * idle and iowait over all time). It covers every process, the database servers' included, which run
 * on the same machine here; NaN where {@code /proc/stat} cannot be read.
 */
final class CpuIdle {
    private static final Path STAT = Path.of("/proc/stat");

    private final long idle;
    private final long total;

    private CpuIdle(long idle, long total) {
        this.idle = idle;
        this.total = total;
    }

    /** A reading now; empty counts when {@code /proc/stat} cannot be read. */
    static CpuIdle now() {
        try {
            String[] fields = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            long sum = 0;
            for (int i = 1; i < fields.length; i++) {
                sum += Long.parseLong(fields[i]);
            }
            // user nice system idle iowait ...: the CPUs did nothing in idle and iowait
            return new CpuIdle(Long.parseLong(fields[4]) + Long.parseLong(fields[5]), sum);
        } catch (IOException | RuntimeException e) {
            return new CpuIdle(0, 0);
        }
    }

    /** The share of CPU time idle from {@code earlier} to this reading, 0 to 1; NaN when unknown. */
    double idleSince(CpuIdle earlier) {
        long elapsed = total - earlier.total;
        return earlier.total == 0 || elapsed <= 0 ? Double.NaN : (double) (idle - earlier.idle) / elapsed;
    }
}
