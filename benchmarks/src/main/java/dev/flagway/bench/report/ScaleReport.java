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
                + "then `Verifier` (default chunks of 10,000 keys) with that transform in SQL, then with the same "
                + "transform in Java, in turn, ").append(first.runbook().size()).append(" times after one untimed "
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
        md.append("\nWhat each tells the operator:\n\n| database | single statement: rows, with a new value, matching "
                + "| verifier's report |\n|---|---|---|\n");
        for (DbResults.Verification v : results.verification) {
            md.append("| ").append(v.database()).append(" | ").append(v.runbookTotal()).append(", ")
                    .append(v.runbookWithNew()).append(", ").append(v.runbookMatching()).append("; no keys | ")
                    .append(v.verifierSummary()).append(" |\n");
        }
        md.append('\n');
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
