package dev.flagway.bench.report;

import dev.flagway.bench.db.DbResults;
import dev.flagway.bench.jmh.InterleavedPeers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything one harness run measured, for the report and the chart. */
public final class Results implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

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
    public final List<DbResults.Backfill> backfill = new ArrayList<>();
    /** Item 6 settings, described. */
    public String backfillSettings = "";
    /** Why item 6 was not measured (on some or all databases), when it was not. */
    public String backfillNotMeasured;
    /** Item 8 interleaved in one JVM, per stage, when measured. */
    public List<InterleavedPeers.StageTiming> interleaved = new ArrayList<>();
    /** Item 9 per database, when measured. */
    public List<DbResults.PeerFailures> peers = new ArrayList<>();
    /** Item 10 per database, when measured. */
    public List<DbResults.Verification> verification = new ArrayList<>();
    /** Item 11 per database and size, when measured. */
    public List<DbResults.Scale> scale = new ArrayList<>();
    /** Wall-clock seconds of the run. */
    public double seconds;

    /** Results saved before items 8 to 11 existed read back with those lists empty. */
    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        interleaved = interleaved == null ? new ArrayList<>() : interleaved;
        peers = peers == null ? new ArrayList<>() : peers;
        verification = verification == null ? new ArrayList<>() : verification;
        scale = scale == null ? new ArrayList<>() : scale;
    }

    /** A JMH result by class and method. */
    public Optional<JmhResult> jmh(String benchmark, String method) {
        return jmh.stream().filter(r -> r.benchmark().equals(benchmark) && r.method().equals(method)).findFirst();
    }
}
