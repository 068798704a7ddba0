package dev.flagway.bench.db;

import dev.flagway.bench.db.Latencies.Summary;
import java.util.List;

/** What the database benchmarks found on one database. */
public final class DbResults {
    private DbResults() {
    }

    /**
     * One repetition's ratio of two variants.
     *
     * @param mean the ratio of the means
     * @param p50 the ratio of the medians
     */
    public record RatioPair(double mean, double p50) implements java.io.Serializable {
    }

    /** The median of {@code values}. */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The mean ratios of {@code pairs}. */
    public static double[] means(List<RatioPair> pairs) {
        return pairs.stream().mapToDouble(RatioPair::mean).toArray();
    }

    /** The median ratios of {@code pairs}. */
    public static double[] p50s(List<RatioPair> pairs) {
        return pairs.stream().mapToDouble(RatioPair::p50).toArray();
    }

    /**
     * Item 4: a point read of the new column, plain and routed by Flagway in LIVE at 100%.
     *
     * @param database the database's report name
     * @param plain the read without Flagway
     * @param routed the same read through the Flagway proxy, default settings
     * @param routedUnsampled the same with live-sample-rate 0 (no legacy comparison reads)
     * @param routedRepetitions routed ÷ plain in each repetition
     * @param unsampledRepetitions unsampled routed ÷ plain in each repetition
     */
    public record Reads(String database, Summary plain, Summary routed, Summary routedUnsampled,
                        List<RatioPair> routedRepetitions, List<RatioPair> unsampledRepetitions) implements java.io.Serializable {
        /** Unsampled routed mean over plain mean. */
        public double unsampledMeanRatio() {
            return routedUnsampled.meanNanos() / plain.meanNanos();
        }

        /** Unsampled routed median over plain median. */
        public double unsampledP50Ratio() {
            return (double) routedUnsampled.p50Nanos() / plain.p50Nanos();
        }

        /** Routed mean over plain mean. */
        public double meanRatio() {
            return routed.meanNanos() / plain.meanNanos();
        }

        /** Routed median over plain median. */
        public double p50Ratio() {
            return (double) routed.p50Nanos() / plain.p50Nanos();
        }

        /** Routed p99 over plain p99. */
        public double p99Ratio() {
            return (double) routed.p99Nanos() / plain.p99Nanos();
        }
    }

    /**
     * Item 5: writing one row's email.
     *
     * @param database the database's report name
     * @param single one autocommitted UPDATE of the legacy column, without Flagway
     * @param manualTransaction both UPDATEs in one transaction written by hand
     * @param manualSavepoint the same with the modern UPDATE under a savepoint (Flagway's protocol)
     * @param flagway the dual write through the Flagway proxy
     * @param overSingleRepetitions Flagway ÷ single in each repetition
     * @param overManualRepetitions Flagway ÷ the same SQL by hand in each repetition
     */
    public record Writes(String database, Summary single, Summary manualTransaction, Summary manualSavepoint,
                         Summary flagway, List<RatioPair> overSingleRepetitions, List<RatioPair> overManualRepetitions) implements java.io.Serializable {
        /** Flagway's dual write over the single write (means). */
        public double flagwayOverSingle() {
            return flagway.meanNanos() / single.meanNanos();
        }

        /** Flagway's dual write over the same protocol written by hand (means). */
        public double flagwayOverManualSavepoint() {
            return flagway.meanNanos() / manualSavepoint.meanNanos();
        }

        /** Two statements in one transaction over one autocommitted statement (means). */
        public double transactionOverSingle() {
            return manualTransaction.meanNanos() / single.meanNanos();
        }

        /** The savepoint's share: savepoint protocol over plain transaction (means). */
        public double savepointOverTransaction() {
            return manualSavepoint.meanNanos() / manualTransaction.meanNanos();
        }
    }

    /**
     * Item 7: from the onset of a modern-path error rate to the breaker's trip.
     *
     * @param database the database's report name
     * @param errorRate the injected share of failing modern reads
     * @param windowCallsAtOnset modern calls in the breaker's window when the errors began
     * @param tripped whether the breaker opened before the timeout
     * @param callsToTrip reads (all callers) from the onset to the trip
     * @param millisToTrip milliseconds from the onset to the trip
     * @param failuresToTrip modern reads that failed from the onset to the trip
     * @param callerErrors exceptions that reached the callers over the whole run (goal: zero)
     * @param fallbacks modern reads answered from the legacy column
     * @param modernReadsAfterTrip modern reads started after the trip (in-flight ones only)
     * @param millisToFlagDisabled from the trip until the flag store showed the flag disabled, -1 if never
     * @param tripReason the breaker's reason
     * @param readsPerSecond caller throughput during the run
     */
    public record Trip(String database, double errorRate, long windowCallsAtOnset, boolean tripped, long callsToTrip,
                       double millisToTrip, long failuresToTrip, long callerErrors, long fallbacks,
                       long modernReadsAfterTrip, double millisToFlagDisabled, String tripReason,
                       double readsPerSecond) implements java.io.Serializable {
        /**
         * Where the trip is expected: the error rate exceeds 1% of the window once
         * {@code e * n > 0.01 * (W + n)}, i.e. {@code n > 0.01 W / (e - 0.01)}.
         */
        public double expectedCallsToTrip() {
            return 0.01 * windowCallsAtOnset / (errorRate - 0.01);
        }
    }

    /**
     * One phase of item 6: what ran (nothing, the plain UPDATE or a backfill) and how the application's
     * queries fared meanwhile.
     *
     * @param name the phase
     * @param seconds the UPDATE's or backfill's duration (0 for idle)
     * @param rowsUpdated rows it wrote
     * @param batches batches a backfill committed (1 for the UPDATE)
     * @param largestBatch the largest batch a backfill reached
     * @param throttles distinct throttle reasons a backfill reported, "" when none
     * @param all every application query's service time (from its start)
     * @param reads the application's reads' service time
     * @param writes the application's writes' service time
     * @param response every query's response time (from when it was due)
     * @param lockTimeouts application queries that hit the lock timeout
     * @param slowestMillis the longest service time
     * @param cpuIdle the machine's idle CPU share meanwhile (databases included), 0 to 1; NaN when unknown
     *     (0 in results saved before it was measured)
     */
    public record Phase(String name, double seconds, long rowsUpdated, long batches, int largestBatch, String throttles,
                        Summary all, Summary reads, Summary writes, Summary response, long lockTimeouts,
                        double slowestMillis, double cpuIdle) implements java.io.Serializable {
        /** Rows written per second. */
        public double rowsPerSecond() {
            return seconds == 0 ? 0 : rowsUpdated / seconds;
        }
    }

    /**
     * Item 6: the backfill engine vs one plain UPDATE over the whole table, with application queries
     * running alongside.
     *
     * @param database the report name
     * @param rows rows in each table
     * @param lockTimeoutMillis the application's lock timeout
     * @param idle the application alone
     * @param update during the plain UPDATE
     * @param backfill during the backfill with default settings
     * @param tuned during the backfill with health signals off and a larger maximum batch, or null
     * @param tunedMaxBatch that maximum batch
     * @param guarded during default backfills with a way to hold application latency (a latency signal,
     *     a rest ratio); null in results saved before they were measured
     */
    public record Backfill(String database, long rows, long lockTimeoutMillis, Phase idle, Phase update,
                           Phase backfill, Phase tuned, int tunedMaxBatch, List<Phase> guarded)
            implements java.io.Serializable {
        /** Backfill throughput over the plain UPDATE's (goal: at least 0.5). */
        public double throughputRatio() {
            return backfill.rowsPerSecond() / update.rowsPerSecond();
        }

        /** Application p99 (service time) during {@code phase} over idle. */
        public double p99Ratio(Phase phase) {
            return (double) phase.all().p99Nanos() / idle.all().p99Nanos();
        }

        /** Application p99 response time during {@code phase} over idle. */
        public double responseP99Ratio(Phase phase) {
            return (double) phase.response().p99Nanos() / idle.response().p99Nanos();
        }

        /** Whether the three goals of item 6 are met by the default backfill. */
        public boolean met() {
            return throughputRatio() >= 0.5 && p99Ratio(backfill) <= 2.0 && backfill.lockTimeouts() == 0
                    && backfill.slowestMillis() < lockTimeoutMillis;
        }
    }

    /**
     * One timed run of a reader of the whole table.
     *
     * @param seconds how long it took
     * @param longestHoldMillis the longest any of its connections was held: its longest transaction
     * @param connections how many connections (so transactions) it used
     */
    public record TimedRun(double seconds, double longestHoldMillis, long connections) implements java.io.Serializable {
    }

    /**
     * Item 10: the verifier against the runbook's single statement on one table.
     *
     * @param database the report name
     * @param rows rows in the table
     * @param wrongValues rows given another new value (one more differs only in case)
     * @param missing rows whose new value was set back to NULL
     * @param runbook the single statement's timed runs
     * @param runbookAlone PostgreSQL: the same without parallel workers (one process, as each of the
     *     verifier's chunks); empty elsewhere
     * @param verifierSql the verifier's, with the transform in SQL
     * @param verifierSqlAlone the same verifier checking one chunk at a time ({@code parallelism(1)})
     * @param verifierJava the verifier's, with the transform in Java
     * @param runbookTotal the statement's COUNT(*)
     * @param runbookWithNew its COUNT(new)
     * @param runbookMatching its SUM(CASE ...): rows it counts as matching
     * @param verifierTotal the verifier's total rows
     * @param verifierWithNew its rows with a new value
     * @param verifierMatching its matching rows
     * @param verifierSummary the verifier's report, as it logs it
     */
    public record Verification(String database, long rows, int wrongValues, int missing, List<TimedRun> runbook,
                               List<TimedRun> runbookAlone, List<TimedRun> verifierSql, List<TimedRun> verifierSqlAlone,
                               List<TimedRun> verifierJava, long runbookTotal,
                               long runbookWithNew, long runbookMatching, long verifierTotal, long verifierWithNew,
                               long verifierMatching, String verifierSummary) implements java.io.Serializable {
        /** The median of {@code runs}' seconds. */
        public static double medianSeconds(List<TimedRun> runs) {
            return median(runs.stream().mapToDouble(TimedRun::seconds).toArray());
        }

        /** Verifier over single statement, per repetition. */
        public static double[] ratios(List<TimedRun> verifier, List<TimedRun> runbook) {
            double[] r = new double[Math.min(verifier.size(), runbook.size())];
            for (int i = 0; i < r.length; i++) {
                r[i] = verifier.get(i).seconds() / runbook.get(i).seconds();
            }
            return r;
        }
    }

    /**
     * Item 9: what one library's callers and the table saw in one phase.
     *
     * @param library LaunchDarkly or Flagway
     * @param phase which path was failing
     * @param injectedFailures reads and writes made to fail
     * @param reads reads made
     * @param readErrors reads whose caller got no value (an exception, or LaunchDarkly's failed result)
     * @param writes writes made
     * @param writeErrors writes whose caller was told they failed
     * @param bothWritten writes found in both columns right after
     * @param legacyOnly writes found only in the legacy column
     * @param newOnly writes found only in the new column
     * @param neither writes found in neither
     * @param acknowledgedIncomplete writes the caller was told succeeded that missed a column
     * @param nonAuthoritativeFailures LaunchDarkly: writes whose second write failed, reported only in
     *     the result's non-authoritative part
     */
    public record PeerPhase(String library, String phase, long injectedFailures, long reads, long readErrors, long writes,
                            long writeErrors, long bothWritten, long legacyOnly, long newOnly, long neither,
                            long acknowledgedIncomplete, long nonAuthoritativeFailures) implements java.io.Serializable {
    }

    /**
     * Item 9 on one database: LaunchDarkly's migration API and Flagway at {@code live} under failures.
     *
     * @param database the report name
     * @param errorRate the share of failing operations on the failing path
     * @param launchDarklyNewFailing LaunchDarkly while the new path fails
     * @param flagwayNewFailing Flagway meanwhile
     * @param launchDarklyLegacyFailing LaunchDarkly while the legacy writes fail
     * @param flagwayLegacyFailing Flagway meanwhile
     * @param launchDarklyStageAfter the stage LaunchDarkly's flag still served after the failures
     * @param flagwayOpsToTrip Flagway operations from the onset to its breaker's trip, -1 if it did not trip
     * @param flagwayFlagDisabled whether Flagway's flag was disabled in its store by the end
     * @param flagwayModernReads Flagway's new-path reads after the onset (LaunchDarkly reads the new path on
     *     every read at {@code live})
     * @param repairedInline Flagway's new-path writes that failed and were re-derived from the legacy value in
     *     their own transaction (so both columns agree when the write is acknowledged)
     * @param repairsRecorded keys in Flagway's repair log: failed new-path writes that could not be re-derived
     *     at once, to be repaired later
     */
    public record PeerFailures(String database, double errorRate, PeerPhase launchDarklyNewFailing,
                               PeerPhase flagwayNewFailing, PeerPhase launchDarklyLegacyFailing,
                               PeerPhase flagwayLegacyFailing, String launchDarklyStageAfter, long flagwayOpsToTrip,
                               boolean flagwayFlagDisabled, long flagwayModernReads, long repairedInline,
                               long repairsRecorded)
            implements java.io.Serializable {
    }

    /**
     * Item 11 at one size on one database.
     *
     * @param database the report name
     * @param rows rows in the table
     * @param idle the application alone
     * @param backfill the default backfill, and the application meanwhile
     * @param verification the verifier (SQL transform), and the application meanwhile; its batches are its transactions
     * @param longestVerifyTransactionMillis the verifier's longest transaction
     * @param walked the backfill's progress: seconds since its first report and keys walked by then
     * @param backfillHeapAfterGc the largest heap used after a collection during the backfill, bytes
     * @param verifyHeapAfterGc the same during the verification
     * @param heapUsedMax the largest heap used at all, bytes
     * @param heapMax the JVM's maximum heap, bytes
     */
    public record Scale(String database, long rows, Phase idle, Phase backfill, Phase verification,
                        double longestVerifyTransactionMillis, List<double[]> walked, long backfillHeapAfterGc,
                        long verifyHeapAfterGc, long heapUsedMax, long heapMax) implements java.io.Serializable {
        /** Application p99 (service time) during {@code phase} over idle. */
        public double p99Ratio(Phase phase) {
            return (double) phase.all().p99Nanos() / idle.all().p99Nanos();
        }

        /** Keys walked per second in each whole second of the backfill: {second, rows/s}. */
        public List<double[]> rowsPerSecond() {
            List<double[]> rates = new java.util.ArrayList<>();
            double done = 0;
            int second = 1;
            for (int i = 0; i < walked.size(); i++) {
                double[] w = walked.get(i);
                while (w[0] >= second) {
                    double at = interpolate(i, second);
                    rates.add(new double[] {second, at - done});
                    done = at;
                    second++;
                }
            }
            return rates;
        }

        private double interpolate(int i, double t) {
            if (i == 0) {
                return walked.get(0)[1];
            }
            double[] a = walked.get(i - 1);
            double[] b = walked.get(i);
            return b[0] == a[0] ? b[1] : a[1] + (b[1] - a[1]) * (t - a[0]) / (b[0] - a[0]);
        }
    }

    /**
     * Everything measured on one database.
     *
     * @param database the report name
     * @param serverVersion the server's product and version
     * @param reads item 4
     * @param writes item 5
     * @param trip item 7
     */
    public record OnDatabase(String database, String serverVersion, Reads reads, Writes writes, Trip trip)
            implements java.io.Serializable {
    }
}
