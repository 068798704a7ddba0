package dev.flagway.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The machine a run was made on, and how busy it was.
 *
 * @param processors available processors
 * @param cpuModel the CPU model from /proc/cpuinfo
 * @param memory total memory from /proc/meminfo
 * @param jdk the JVM's name and version
 * @param os the OS and kernel
 * @param loadAtStart /proc/loadavg's 1/5/15-minute load averages when the run started
 * @param startedAt when the run started
 */
public record MachineInfo(int processors, String cpuModel, String memory, String jdk, String os,
                          String loadAtStart, Instant startedAt) implements java.io.Serializable {

    /** This machine, now. */
    public static MachineInfo current() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemory(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vendor") + ")",
                osName() + ", kernel " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                loadAverage(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** /proc/loadavg's first three fields, or "unknown". */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String readCpuModel() {
        return firstValue(Path.of("/proc/cpuinfo"), "model name", System.getProperty("os.arch"));
    }

    private static String readMemory() {
        String kb = firstValue(Path.of("/proc/meminfo"), "MemTotal", "unknown");
        try {
            long k = Long.parseLong(kb.replace("kB", "").trim());
            return String.format(java.util.Locale.ROOT, "%.1f GiB", k / 1024.0 / 1024.0);
        } catch (NumberFormatException e) {
            return kb;
        }
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        return System.getProperty("os.name");
    }

    private static String firstValue(Path file, String key, String fallback) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        return fallback;
    }
}
