package dev.flagway.bench.report;

import dev.flagway.bench.db.DbResults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything one harness run measured, for the report and the chart. */
public final class Results {
    /** The machine. */
    public MachineInfo machine;
    /** /proc/loadavg at the end. */
    public String loadAtEnd = "unknown";
    /** The JMH settings used, described. */
    public String jmhSettings = "";
    /** The database settings used, described. */
    public String dbSettings = "";
    /** Whether the JMH results come from an earlier run's cache. */
    public boolean jmhFromCache;
    /** JMH results. */
    public final List<JmhResult> jmh = new ArrayList<>();
    /** Rollout shares: Flagway, in-memory, flagd, Flagway-flagd agreement; null when not measured. */
    public double[] rolloutShares;
    /** Per database: its results. */
    public final List<DbResults.OnDatabase> databases = new ArrayList<>();
    /** Per database that was skipped: why. */
    public final Map<String, String> skipped = new LinkedHashMap<>();
    /** Item 6 per database, when measured. */
    public final List<BackfillRow> backfill = new ArrayList<>();
    /** Why item 6 was not measured, when it was not. */
    public String backfillNotMeasured;
    /** Wall-clock seconds of the run. */
    public double seconds;

    /** A JMH result by class and method. */
    public Optional<JmhResult> jmh(String benchmark, String method) {
        return jmh.stream().filter(r -> r.benchmark().equals(benchmark) && r.method().equals(method)).findFirst();
    }

    /**
     * Item 6 on one database.
     *
     * @param database the report name
     * @param rows rows backfilled
     * @param backfillRowsPerSecond the engine's throughput
     * @param updateRowsPerSecond one plain UPDATE over the whole table
     * @param idleP99Micros application query p99 with nothing else running
     * @param backfillP99Micros application query p99 during the backfill
     * @param updateP99Micros application query p99 during the plain UPDATE
     * @param maxLockWaitMillis the longest an application query waited during the backfill
     * @param lockTimeoutMillis the configured lock timeout
     * @param updateMaxMillis the longest an application query waited during the plain UPDATE
     */
    public record BackfillRow(String database, long rows, double backfillRowsPerSecond, double updateRowsPerSecond,
                              double idleP99Micros, double backfillP99Micros, double updateP99Micros,
                              double maxLockWaitMillis, double lockTimeoutMillis, double updateMaxMillis) {
    }
}
