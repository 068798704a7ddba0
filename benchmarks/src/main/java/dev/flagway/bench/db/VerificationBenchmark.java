package dev.flagway.bench.db;

import com.zaxxer.hikari.HikariDataSource;
import dev.flagway.Migration;
import dev.flagway.backfill.Transform;
import dev.flagway.dialect.Dialect;
import dev.flagway.dialect.H2Dialect;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.postgres.PostgresDialect;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.Verifier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jooq.impl.DSL;

/**
 * Item 10: Flagway's {@link Verifier} against the runbook's single verification statement,
 * {@code SELECT COUNT(*), COUNT(new), SUM(CASE WHEN transform(legacy) = new THEN 1 ELSE 0 END) FROM t},
 * on one table whose new column was filled, with a few rows made wrong: some with another value, one
 * differing only in case, some left NULL. The readers take turns, repetition after repetition: the
 * statement (on PostgreSQL also without parallel workers), the verifier with the transform in SQL (with
 * its default parallelism, then one chunk at a time) and in Java.
 */
public final class VerificationBenchmark {
    /** The runbook's transform for a changed column, in SQL. */
    static final String TRANSFORM_SQL = "lower(trim(email))";

    /**
     * How the item runs.
     *
     * @param rows rows in the table
     * @param repetitions timed runs of each reader, after one untimed run of each
     * @param wrongValues rows given another new value
     * @param missing rows whose new value is set back to NULL
     * @param chunkSize the verifier's chunk size; 0 for its default
     */
    public record Settings(int rows, int repetitions, int wrongValues, int missing, int chunkSize) {
        /** The size: 1,000,000 rows, 3 repetitions, the verifier's default chunks. */
        public static Settings standard() {
            return new Settings(1_000_000, 3, 3, 3, 0);
        }

        /** Three chunks of rows, for the smoke test. */
        public static Settings smoke() {
            return new Settings(12_000, 1, 3, 3, 5_000);
        }

        /** The same with {@code count} rows. */
        public Settings withRows(int count) {
            return new Settings(count, repetitions, wrongValues, missing, chunkSize);
        }

        Verifier.Builder chunked(Verifier.Builder builder) {
            return chunkSize > 0 ? builder.chunkSize(chunkSize) : builder;
        }
    }

    private VerificationBenchmark() {
    }

    /** Runs item 10 on {@code target}. */
    public static DbResults.Verification run(DbTarget target, Settings settings, Consumer<String> log) throws Exception {
        try (HikariDataSource pool = target.pool(2)) {
            Dialect dialect = dialect(target, pool);
            String table = new BenchTables(pool).users() + "_v";
            try {
                log.accept(target.name() + ": item 10, loading " + settings.rows() + " rows");
                BackfillBenchmark.load(pool, target, table, settings.rows(), true);
                List<Long> wrong = spread(settings.rows(), settings.wrongValues() + 1 + settings.missing());
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    for (int i = 0; i < wrong.size(); i++) {
                        long id = wrong.get(i);
                        String value = i < settings.wrongValues() ? "'wrong." + id + "@example.com'"
                                : i == settings.wrongValues() ? "upper(email_normalized)" : "null";
                        s.executeUpdate("update " + table + " set email_normalized = " + value + " where id = " + id);
                    }
                }
                HoldTimer timed = new HoldTimer(pool);
                Migration migration = Migration.builder("bench-verify").table(table).keyColumn("id")
                        .legacyColumn("email").newColumn("email_normalized").build();
                Transform lowerTrim = Transform.sql(legacy -> DSL.lower(DSL.trim(legacy.cast(String.class))));
                Verifier sql = settings.chunked(Verifier.builder(migration, timed, dialect)).transform(lowerTrim).build();
                Verifier sqlAlone = settings.chunked(Verifier.builder(migration, timed, dialect)).transform(lowerTrim)
                        .parallelism(1).build();
                Verifier java = settings.chunked(Verifier.builder(migration, timed, dialect))
                        .transform(Transform.java(v -> v == null ? null : v.toString().trim().toLowerCase(Locale.ROOT)))
                        .build();
                String runbookSql = "select count(*), count(email_normalized), sum(case when " + TRANSFORM_SQL
                        + " = email_normalized then 1 else 0 end) from " + table;
                List<DbResults.TimedRun> runbook = new ArrayList<>();
                List<DbResults.TimedRun> runbookAlone = new ArrayList<>();
                List<DbResults.TimedRun> bySql = new ArrayList<>();
                List<DbResults.TimedRun> bySqlAlone = new ArrayList<>();
                List<DbResults.TimedRun> byJava = new ArrayList<>();
                long[] counts = null;
                VerificationReport report = null;
                for (int rep = 0; rep <= settings.repetitions(); rep++) {
                    log.accept(target.name() + ": item 10, " + (rep == 0 ? "untimed first run" : "repetition " + rep));
                    long start = System.nanoTime();
                    counts = runbook(timed, runbookSql, null);
                    DbResults.TimedRun single = timedRun(start, timed);
                    DbResults.TimedRun alone = null;
                    if (!target.isMySql() && !target.isH2()) {
                        start = System.nanoTime();
                        runbook(timed, runbookSql, "set local max_parallel_workers_per_gather = 0");
                        alone = timedRun(start, timed);
                    }
                    start = System.nanoTime();
                    report = sql.verify();
                    DbResults.TimedRun chunkedSql = timedRun(start, timed);
                    start = System.nanoTime();
                    VerificationReport aloneReport = sqlAlone.verify();
                    DbResults.TimedRun chunkedSqlAlone = timedRun(start, timed);
                    start = System.nanoTime();
                    VerificationReport javaReport = java.verify();
                    DbResults.TimedRun chunkedJava = timedRun(start, timed);
                    if (!javaReport.summary().equals(report.summary()) || !aloneReport.summary().equals(report.summary())) {
                        throw new IllegalStateException("the verifiers disagree: " + report.summary() + " vs "
                                + aloneReport.summary() + " (one chunk at a time) vs " + javaReport.summary() + " (Java)");
                    }
                    if (rep > 0) {
                        runbook.add(single);
                        if (alone != null) {
                            runbookAlone.add(alone);
                        }
                        bySql.add(chunkedSql);
                        bySqlAlone.add(chunkedSqlAlone);
                        byJava.add(chunkedJava);
                    }
                }
                return new DbResults.Verification(target.name(), settings.rows(), settings.wrongValues(),
                        settings.missing(), runbook, runbookAlone, bySql, bySqlAlone, byJava, counts[0], counts[1], counts[2],
                        report.totalRows(), report.rowsWithNewValue(), report.matchingRows(), report.summary());
            } finally {
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    s.execute("drop table if exists " + table);
                }
            }
        }
    }

    static Dialect dialect(DbTarget target, DataSource admin) {
        return target.isMySql() ? MySqlDialect.detect(admin) : target.isH2() ? new H2Dialect() : new PostgresDialect();
    }

    /** {@code count} ids spread evenly over 1..rows. */
    private static List<Long> spread(int rows, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(1 + (long) rows * (2L * i + 1) / (2L * count));
        }
        return ids;
    }

    /** Runs the runbook's statement, in a transaction after {@code setting} when one is given. */
    private static long[] runbook(DataSource ds, String sql, String setting) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            if (setting != null) {
                c.setAutoCommit(false);
                s.execute(setting);
            }
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            } finally {
                if (setting != null) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        }
    }

    private static DbResults.TimedRun timedRun(long start, HoldTimer timed) {
        DbResults.TimedRun run = new DbResults.TimedRun((System.nanoTime() - start) / 1e9, timed.longestMillis(),
                timed.connections());
        timed.reset();
        return run;
    }
}
