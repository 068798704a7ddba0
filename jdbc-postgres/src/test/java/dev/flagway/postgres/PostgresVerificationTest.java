package dev.flagway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.backfill.Transform;
import dev.flagway.verify.VerificationLog;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.Verifier;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class PostgresVerificationTest {

    @Test
    void verificationFindsInjectedMismatchesAndNullsAndReportsTheirKeys() {
        try (PgFixture f = new PgFixture(20_000, true)) {
            f.exec("update " + f.table + " set email_normalized = lower(trim(email))");
            f.exec("update " + f.table + " set email_normalized = 'wrong@example.com' where id in (5, 12345)");
            f.exec("update " + f.table + " set email_normalized = null where id in (42, 19999)");
            VerificationLog log = new VerificationLog(f.dataSource, f.verificationTable);

            VerificationReport java = Verifier.builder(f.migration, f.dataSource, new PostgresDialect())
                    .chunkSize(3_000).log(log).build().verify();
            VerificationReport sql = Verifier.builder(f.migration, f.dataSource, new PostgresDialect())
                    .transform(Transform.sql(legacy -> DSL.lower(DSL.trim(legacy.cast(String.class)))))
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
    void verificationPassesWhenEveryRowAgrees() {
        try (PgFixture f = new PgFixture(5_000, true)) {
            f.exec("update " + f.table + " set email_normalized = lower(trim(email))");
            VerificationReport report = Verifier.builder(f.migration, f.dataSource, new PostgresDialect())
                    .chunkSize(1_000).build().verify();
            assertThat(report.passed()).as(report.summary()).isTrue();
            assertThat(report.matchingRows()).isEqualTo(5_000);
        }
    }
}
