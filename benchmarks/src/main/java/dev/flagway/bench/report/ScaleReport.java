package dev.flagway.bench.report;

import dev.flagway.bench.db.DbResults;
import java.util.List;

/**
 * Items 10 and 11 of the results page: the verifier against the runbook's single statement, and
 * backfill and verification at ten times the size.
 */
final class ScaleReport {
    private final Results results;

    ScaleReport(Results results) {
        this.results = results;
    }

    void verificationSection(StringBuilder md) {
        md.append("## 10. Verification vs the runbook's single statement\n\n");
        if (results.verification.isEmpty()) {
            md.append("Not run.\n\n");
            return;
        }
        DbResults.Verification first = results.verification.get(0);
        md.append(Report.measuredIn(results)).append(" One table of ").append(first.rows()).append(" rows whose new "
                + "column holds `lower(email)`, except ").append(first.wrongValues()).append(" rows with another "
                + "value, one that differs only in case and ").append(first.missing()).append(" left NULL. The runbook's "
                + "`SELECT COUNT(*), COUNT(new), SUM(CASE WHEN lower(trim(legacy)) = new THEN 1 ELSE 0 END) FROM t`, "
                + "then `Verifier` (its default chunk size and parallelism) with that transform in SQL, the same one "
                + "chunk at a time (`parallelism(1)`), then with the transform in Java, in turn, ").append(first.runbook().size()).append(" times after one untimed "
                + "round. Seconds: the median [min–max]; ratios per repetition.\n\n");
        md.append("| database | single statement, s | its transaction, ms | verifier (SQL transform), s "
                + "| ÷ statement | longest chunk transaction, ms | transactions | verifier (Java transform), s "
                + "| ÷ statement | goal: SQL verifier ≤ 2× |\n|---|---|---:|---|---|---:|---:|---|---|---|\n");
        for (DbResults.Verification v : results.verification) {
            double[] sql = DbResults.Verification.ratios(v.verifierSql(), v.runbook());
            double[] java = DbResults.Verification.ratios(v.verifierJava(), v.runbook());
            double median = DbResults.median(sql);
            md.append("| ").append(v.database()).append(" | ").append(seconds(v.runbook())).append(" | ")
                    .append(Report.fmt0(longest(v.runbook()))).append(" | ").append(seconds(v.verifierSql()))
                    .append(" | ").append(Report.spread(sql)).append(" | ").append(Report.fmt0(longest(v.verifierSql())))
                    .append(" | ").append(v.verifierSql().get(0).connections()).append(" | ")
                    .append(seconds(v.verifierJava())).append(" | ").append(Report.spread(java)).append(" | ")
                    .append(median <= 2 ? "met" : "missed").append(" (").append(Report.fmt2(median)).append(") |\n");
        }
        md.append('\n');
        for (DbResults.Verification v : results.verification) {
            md.append(v.database()).append(": the SQL verifier one chunk at a time took ")
                    .append(seconds(v.verifierSqlAlone())).append(" s, ")
                    .append(Report.spread(DbResults.Verification.ratios(v.verifierSqlAlone(), v.runbook())))
                    .append("× the statement, longest transaction ").append(Report.fmt0(longest(v.verifierSqlAlone())))
                    .append(" ms.\n");
        }
        for (DbResults.Verification v : results.verification) {
            if (!v.runbookAlone().isEmpty()) {
                md.append("\n").append(v.database()).append(": the single statement ran with PostgreSQL's parallel "
                        + "workers (up to `max_parallel_workers_per_gather`, 2 by default, beside its own process); "
                        + "without them (`SET LOCAL max_parallel_workers_per_gather = 0`) it took ")
                        .append(seconds(v.runbookAlone())).append(" s, and the SQL verifier ")
                        .append(Report.spread(DbResults.Verification.ratios(v.verifierSql(), v.runbookAlone())))
                        .append("× that.\n");
            }
        }
        md.append("\nWhat each tells the operator:\n\n| database | single statement: rows, with a new value, matching "
                + "| verifier's report |\n|---|---|---|\n");
        for (DbResults.Verification v : results.verification) {
            md.append("| ").append(v.database()).append(" | ").append(v.runbookTotal()).append(", ")
                    .append(v.runbookWithNew()).append(", ").append(v.runbookMatching()).append("; no keys | ")
                    .append(v.verifierSummary()).append(" |\n");
        }
        md.append('\n');
    }

    void scaleSection(StringBuilder md) {
        md.append("## 11. Ten times the size: backfill and verification at 1M and 10M rows\n\n");
        if (results.scale.isEmpty()) {
            md.append("Not run.\n\n");
            return;
        }
        md.append(Report.measuredIn(results)).append(" At each size a fresh table (`email_normalized` NULL), the "
                + "application of item 6 alone for 5 s, then during the default `Backfill` (SQL transform "
                + "`lower(email)`), then during `Verifier` (the same transform in SQL). The chart "
                + "[benchmarks-scale.png](benchmarks-scale.png) draws the backfill's rows/s second by second.\n\n");
        md.append("| database | rows | backfill s | rows/s | rows/s, middle 80% of seconds: median [min–max] "
                + "| app p99 ÷ idle | verification s | rows/s | longest transaction ms | app p99 ÷ idle "
                + "| heap after GC, MiB (backfill / verify) | heap used max / -Xmx, MiB |\n"
                + "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---|\n");
        for (DbResults.Scale s : results.scale) {
            md.append("| ").append(s.database()).append(" | ").append(String.format(java.util.Locale.ROOT, "%,d", s.rows()))
                    .append(" | ").append(Report.fmt1(s.backfill().seconds())).append(" | ")
                    .append(Report.fmt0(s.backfill().rowsPerSecond())).append(" | ").append(steadyRate(s)).append(" | ")
                    .append(Report.fmt2(s.p99Ratio(s.backfill()))).append(" | ")
                    .append(Report.fmt1(s.verification().seconds())).append(" | ")
                    .append(Report.fmt0(s.verification().rowsPerSecond())).append(" | ")
                    .append(Report.fmt0(s.longestVerifyTransactionMillis())).append(" | ")
                    .append(Report.fmt2(s.p99Ratio(s.verification()))).append(" | ")
                    .append(mib(s.backfillHeapAfterGc())).append(" / ").append(mib(s.verifyHeapAfterGc())).append(" | ")
                    .append(mib(s.heapUsedMax())).append(" / ").append(mib(s.heapMax())).append(" |\n");
        }
        md.append("\nIdle application p99 (service time), ms: ");
        List<String> idle = new java.util.ArrayList<>();
        for (DbResults.Scale s : results.scale) {
            idle.add(s.database() + " " + String.format(java.util.Locale.ROOT, "%,d", s.rows()) + ": "
                    + Report.fmt1(s.idle().all().p99Micros() / 1000));
        }
        md.append(String.join("; ", idle)).append(".\n\n");
    }

    /** The median [min–max] rows/s over the middle 80% of the backfill's whole seconds. */
    static String steadyRate(DbResults.Scale s) {
        List<double[]> rates = s.rowsPerSecond();
        int from = rates.size() / 10;
        int to = Math.max(from + 1, rates.size() - rates.size() / 10);
        double[] middle = rates.subList(Math.min(from, rates.size()), Math.min(to, rates.size())).stream()
                .mapToDouble(r -> r[1]).toArray();
        if (middle.length == 0) {
            return "—";
        }
        double min = java.util.Arrays.stream(middle).min().getAsDouble();
        double max = java.util.Arrays.stream(middle).max().getAsDouble();
        return Report.fmt0(DbResults.median(middle)) + " [" + Report.fmt0(min) + "–" + Report.fmt0(max) + "]";
    }

    private static String mib(long bytes) {
        return Report.fmt0(bytes / 1024.0 / 1024.0);
    }

    private static String seconds(List<DbResults.TimedRun> runs) {
        double min = runs.stream().mapToDouble(DbResults.TimedRun::seconds).min().orElse(Double.NaN);
        double max = runs.stream().mapToDouble(DbResults.TimedRun::seconds).max().orElse(Double.NaN);
        return Report.fmt2(DbResults.Verification.medianSeconds(runs)) + " [" + Report.fmt2(min) + "–"
                + Report.fmt2(max) + "]";
    }

    private static double longest(List<DbResults.TimedRun> runs) {
        return runs.stream().mapToDouble(DbResults.TimedRun::longestHoldMillis).max().orElse(Double.NaN);
    }
}
