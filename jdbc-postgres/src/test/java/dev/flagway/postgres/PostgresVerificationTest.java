package dev.flagway.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Migration;
import dev.flagway.backfill.Transform;
import dev.flagway.verify.VerificationLog;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class PostgresVerificationTest {
    private static final Transform LOWER_TRIM = Transform.sql(legacy -> DSL.lower(DSL.trim(legacy.cast(String.class))));

    @Test
    void verificationFindsInjectedMismatchesAndNullsAndReportsTheirKeys() {
        try (PgFixture f = new PgFixture(20_000, true)) {
            fill(f, "5, 12345", "42, 19999");
            VerificationLog log = new VerificationLog(f.dataSource, f.verificationTable);

            VerificationReport java = Verifier.builder(f.migration, f.dataSource, new PostgresDialect())
                    .chunkSize(3_000).log(log).build().verify();
            VerificationReport sql = Verifier.builder(f.migration, f.dataSource, new PostgresDialect())
                    .transform(LOWER_TRIM)
                    .chunkSize(7_000).build().verify();

            for (VerificationReport report : new VerificationReport[] {java, sql}) {
                assertThat(report.passed()).isFalse();
                assertThat(report.totalRows()).isEqualTo(20_000);
                assertThat(report.rowsWithNewValue()).isEqualTo(19_998);
                assertThat(report.matchingRows()).isEqualTo(19_996);
                assertThat(report.mismatchedRows()).isEqualTo(2);
                assertThat(report.missingRows()).isEqualTo(2);
                assertThat(report.sampleMismatchedKeys()).containsExactly("5", "12345");
                assertThat(report.sampleMissingKeys()).containsExactly("42", "19999");
            }
            assertThat(log.last(f.migration.id())).hasValueSatisfying(e -> {
                assertThat(e.passed()).isFalse();
                assertThat(e.summary()).contains("2 mismatched e.g. keys [5, 12345]", "2 missing (NULL) e.g. keys [42, 19999]");
            });
        }
    }

    @Test
    void aSqlTransformIsComparedInTheDatabaseYetJudgedAsTheJavaTransformWould() {
        try (PgFixture f = new PgFixture(9_000, true)) {
            f.exec("delete from " + f.table + " where id % 7 = 0");
            f.exec("update " + f.table + " set email_normalized = lower(trim(email))");
            f.exec("update " + f.table + " set email_normalized = email_normalized || ' ' where id = 4001");
            f.exec("update " + f.table + " set email_normalized = initcap(email_normalized) where id = 8999");
            f.exec("update " + f.table + " set email = null, email_normalized = null where id = 100");
            long rows = f.count("select count(*) from " + f.table);

            VerificationReport bySql = Verifier.builder(f.migration, f.dataSource, new PostgresDialect())
                    .transform(LOWER_TRIM)
                    .chunkSize(1_000).build().verify();
            VerificationReport byJava = Verifier.builder(f.migration, f.dataSource, new PostgresDialect())
                    .chunkSize(1_000).build().verify();

            for (VerificationReport report : new VerificationReport[] {bySql, byJava}) {
                assertThat(report.totalRows()).isEqualTo(rows);
                assertThat(report.rowsWithNewValue()).isEqualTo(rows - 1);
                assertThat(report.matchingRows()).as("NULL legacy and NULL new agree").isEqualTo(rows - 2);
                assertThat(report.sampleMismatchedKeys()).containsExactly("4001", "8999");
            }
            assertThat(bySql.summary()).isEqualTo(byJava.summary());
        }
    }

    @Test
    void chunksCheckedAtOnceGiveTheSameReportAsOneAtATime() {
        try (PgFixture f = new PgFixture(20_000, true)) {
            fill(f, "19990, 7, 15001, 3003, 9000", "12000, 1, 18000");
            List<String> summaries = new ArrayList<>();
            for (int parallelism : new int[] {1, 2, 4}) {
                for (Transform transform : new Transform[] {Transform.of(f.migration), LOWER_TRIM}) {
                    VerificationReport report = Verifier.builder(f.migration, f.dataSource, new PostgresDialect())
                            .transform(transform).chunkSize(1_000).parallelism(parallelism).sampleSize(3).build().verify();
                    assertThat(report.mismatchedRows()).isEqualTo(5);
                    assertThat(report.sampleMismatchedKeys()).as("the first by key").containsExactly("7", "3003", "9000");
                    assertThat(report.sampleMissingKeys()).containsExactly("1", "12000", "18000");
                    summaries.add(report.summary());
                }
            }
            assertThat(summaries).containsOnly(summaries.get(0));
            assertThat(summaries.get(0)).startsWith("failed: 20000 rows, 19997 with a new value, 19992 matching");
        }
    }

    /** A transform sleeping 10 ms a row: 5 s a chunk, well over the statement timeout. */
    @Test
    void aChunkQueryOverTheStatementTimeoutFailsTheVerificationNamingWhere() {
        try (PgFixture f = new PgFixture(2_000, true)) {
            Verifier slow = Verifier.builder(f.migration, f.dataSource, new PostgresDialect())
                    .transform(Transform.sql(legacy -> DSL.field("case when pg_sleep(0.01) is null then null else lower({0}) end",
                            Object.class, legacy)))
                    .chunkSize(500).statementTimeout(Duration.ofMillis(200)).build();

            assertThatThrownBy(slow::verify).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("verification of migration '" + f.migration.id() + "' failed after key")
                    .hasMessageContaining("statement timeout");
        }
    }

    @Test
    void numbersThatDifferOnlyInHowTheyAreWrittenMatch() {
        try (PgFixture f = new PgFixture(3_000, false)) {
            f.exec("alter table " + f.table + " add column touches_new numeric(10, 2)");
            f.exec("update " + f.table + " set touches = id % 50, touches_new = id % 50");
            f.exec("update " + f.table + " set touches_new = touches_new + 0.5 where id = 2500");
            Migration counts = Migration.builder(f.table.replace('_', '-') + "-n").table(f.table).keyColumn("id")
                    .legacyColumn("touches").newColumn("touches_new").build();

            VerificationReport report = Verifier.builder(counts, f.dataSource, new PostgresDialect())
                    .transform(Transform.sql(legacy -> legacy)).chunkSize(700).build().verify();

            assertThat(report.totalRows()).isEqualTo(3_000);
            assertThat(report.matchingRows()).as("5.00 and 5 are the same number").isEqualTo(2_999);
            assertThat(report.sampleMismatchedKeys()).containsExactly("2500");
        }
    }

    @Test
    void verificationPassesWhenEveryRowAgrees() {
        try (PgFixture f = new PgFixture(5_000, true)) {
            f.exec("update " + f.table + " set email_normalized = lower(trim(email))");
            VerificationReport report = Verifier.builder(f.migration, f.dataSource, new PostgresDialect())
                    .chunkSize(1_000).build().verify();
            assertThat(report.passed()).as(report.summary()).isTrue();
            assertThat(report.matchingRows()).isEqualTo(5_000);
        }
    }

    /**
     * Fills the new column with {@code lower(trim(email))}, except another value at the ids
     * {@code wrong} and NULL at the ids {@code missing}.
     */
    private static void fill(PgFixture f, String wrong, String missing) {
        f.exec("update " + f.table + " set email_normalized = lower(trim(email))");
        f.exec("update " + f.table + " set email_normalized = 'wrong@example.com' where id in (" + wrong + ")");
        f.exec("update " + f.table + " set email_normalized = null where id in (" + missing + ")");
    }
}
