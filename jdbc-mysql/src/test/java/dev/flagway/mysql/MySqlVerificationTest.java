package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.Migration;
import dev.flagway.backfill.Transform;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.Verifier;
import java.util.Locale;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Verification on MySQL/MariaDB with a SQL transform, where the database compares each chunk: the
 * usual collations compare case-insensitively and ignore trailing blanks, so a new value that differs
 * from transform(legacy) only in case or in a trailing blank must still be reported, as the Java
 * transform reports it.
 */
class MySqlVerificationTest {
    private static final int ROWS = 5_000;

    private final String table = Sql.table("users");
    private final Migration migration = Migration.builder(table.replace('_', '-'))
            .table(table).keyColumn("id").legacyColumn("email").newColumn("email_normalized")
            .transform(e -> e == null ? null : e.toString().trim().toLowerCase(Locale.ROOT))
            .build();
    private DataSource ds;

    @AfterEach
    void dropTable() throws Exception {
        if (ds != null) {
            Sql.drop(ds, table);
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void rowsDifferingOnlyInCaseOrATrailingBlankAreMismatchesAndBothTransformsAgree(Server server) throws Exception {
        ds = server.dataSource();
        Sql.exec(ds, "CREATE TABLE `" + table + "` (id BIGINT PRIMARY KEY, email VARCHAR(320),"
                        + " email_normalized VARCHAR(320)) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
                "INSERT INTO `" + table + "` (id, email) SELECT n, CONCAT(' User', n, '@Example.COM') FROM (SELECT"
                        + " d1.n + d2.n * 10 + d3.n * 100 + d4.n * 1000 + 1 n FROM "
                        + String.join(" CROSS JOIN ", MetadataLockQueueTest.digits("d1"), MetadataLockQueueTest.digits("d2"),
                                MetadataLockQueueTest.digits("d3"), MetadataLockQueueTest.digits("d4"))
                        + ") seq WHERE n <= " + ROWS,
                "DELETE FROM `" + table + "` WHERE id % 7 = 0",
                "UPDATE `" + table + "` SET email_normalized = LOWER(TRIM(email))",
                "UPDATE `" + table + "` SET email_normalized = UPPER(email_normalized) WHERE id = 10",
                "UPDATE `" + table + "` SET email_normalized = CONCAT(email_normalized, ' ') WHERE id = 2001",
                "UPDATE `" + table + "` SET email_normalized = 'other@example.com' WHERE id = 4999",
                "UPDATE `" + table + "` SET email_normalized = NULL WHERE id IN (1, 3000)",
                "UPDATE `" + table + "` SET email = NULL, email_normalized = NULL WHERE id = 3001");
        long rows = Sql.queryLong(ds, "SELECT COUNT(*) FROM `" + table + "`");
        assertThat(Sql.queryLong(ds, "SELECT SUM(CASE WHEN LOWER(TRIM(email)) = email_normalized THEN 1 ELSE 0 END)"
                + " FROM `" + table + "`")).as("the collation's equality sees neither the case nor the blank, and NULL = NULL is not true")
                .isEqualTo(rows - 4);

        VerificationReport bySql = Verifier.builder(migration, ds, MySqlDialect.detect(ds))
                .transform(Transform.sql(legacy -> DSL.lower(DSL.trim(legacy.cast(String.class)))))
                .chunkSize(1_000).build().verify();
        VerificationReport byJava = Verifier.builder(migration, ds, MySqlDialect.detect(ds)).chunkSize(1_000).build()
                .verify();

        for (VerificationReport report : new VerificationReport[] {bySql, byJava}) {
            assertThat(report.totalRows()).isEqualTo(rows);
            assertThat(report.rowsWithNewValue()).isEqualTo(rows - 3);
            assertThat(report.matchingRows()).as("NULL legacy and NULL new agree").isEqualTo(rows - 5);
            assertThat(report.sampleMismatchedKeys()).containsExactly("10", "2001", "4999");
            assertThat(report.sampleMissingKeys()).containsExactly("1", "3000");
        }
        assertThat(bySql.summary()).isEqualTo(byJava.summary());

        for (int parallelism : new int[] {1, 3}) {
            VerificationReport few = Verifier.builder(migration, ds, MySqlDialect.detect(ds))
                    .transform(Transform.sql(legacy -> DSL.lower(DSL.trim(legacy.cast(String.class)))))
                    .chunkSize(400).parallelism(parallelism).sampleSize(2).build().verify();
            assertThat(few.summary()).as("parallelism " + parallelism)
                    .isEqualTo(bySql.summary().replace("[10, 2001, 4999]", "[10, 2001]"));
        }
    }
}
