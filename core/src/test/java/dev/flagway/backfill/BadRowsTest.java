package dev.flagway.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.routing.Flagway;
import dev.flagway.Migration;
import dev.flagway.dialect.H2Dialect;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.DataSourceTransactionRunner;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.testing.TestDatabase;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.Verifier;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Rows the backfill cannot migrate, on H2: a legacy value the transform throws on (key 777) and one
 * whose derived value the new column's CHECK refuses (key 1234).
 */
class BadRowsTest {
    private static final int ROWS = 2_000;

    private final DataSource db = TestDatabase.H2.dataSource();
    private final Migration migration = Migration.builder("users-email")
            .table("users").keyColumn("id").legacyColumn("email").newColumn("email_normalized")
            .transform(BadRowsTest::normalize)
            .build();

    BadRowsTest() {
        exec("create table \"users\" (\"id\" bigint primary key, \"email\" varchar(320), \"email_normalized\" varchar(320),"
                + " constraint \"users_allowed\" check (\"email_normalized\" <> 'forbidden@example.com'))");
        exec("insert into \"users\" (\"id\", \"email\") select \"X\", ' User' || \"X\" || '@Example.COM' from system_range(1, "
                + ROWS + ")");
        exec("update \"users\" set \"email\" = 'Shiped!' where \"id\" = 777");
        exec("update \"users\" set \"email\" = 'FORBIDDEN@example.com' where \"id\" = 1234");
    }

    /** A transform that validates: a value with a '!' is no address. */
    private static Object normalize(Object legacy) {
        if (legacy == null) {
            return null;
        }
        String text = legacy.toString();
        if (text.contains("!")) {
            throw new IllegalArgumentException("not an e-mail address: " + text);
        }
        return text.trim().toLowerCase(Locale.ROOT);
    }

    @Test
    void failPolicyStopsAtTheFirstRowItCannotMigrateAndSaysSo() {
        Backfill backfill = backfill(TransformFailurePolicy.FAIL);

        assertThatThrownBy(backfill::run).isInstanceOf(BackfillException.class)
                .hasMessageContaining("the transform failed for key 777");

        assertThat(backfill.checkpoint()).hasValueSatisfying(c -> {
            assertThat(c.state()).isEqualTo(BackfillState.FAILED);
            assertThat(c.lastKey()).isEqualTo("700");
        });
    }

    @Test
    void skipAndRecordMigratesEveryOtherRowAndRecordsTheBadOnesWithValueAndError() {
        Backfill backfill = backfill(TransformFailurePolicy.SKIP_AND_RECORD);

        BackfillResult result = backfill.run();

        assertThat(result.state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(result.rowsDone()).isEqualTo(ROWS);
        assertThat(result.rowsUpdated()).isEqualTo(ROWS - 2);
        assertThat(count("\"email_normalized\" is null")).isEqualTo(2);
        assertThat(backfill.badRows(10)).satisfiesExactlyInAnyOrder(
                bad -> {
                    assertThat(bad.rowKey()).isEqualTo("777");
                    assertThat(bad.legacyValue()).isEqualTo("Shiped!");
                    assertThat(bad.error()).contains("IllegalArgumentException", "not an e-mail address");
                },
                bad -> {
                    assertThat(bad.rowKey()).isEqualTo("1234");
                    assertThat(bad.legacyValue()).isEqualTo("FORBIDDEN@example.com");
                    assertThat(bad.error()).containsIgnoringCase("users_allowed");
                });
        VerificationReport report = Verifier.builder(migration, db, new H2Dialect()).build().verify();
        assertThat(report.passed()).isFalse();
        assertThat(report.badRows()).isEqualTo(1);
        assertThat(report.sampleBadKeys()).containsExactly("777");
        assertThat(report.sampleMissingKeys()).containsExactly("1234");
        assertThat(report.summary()).contains("1 the transform cannot convert e.g. keys [777]");
    }

    @Test
    void aBadRowIsResolvedOnlyOnceItsLegacyValueCanBeMigrated() {
        Backfill backfill = backfill(TransformFailurePolicy.SKIP_AND_RECORD);
        backfill.run();

        assertThatThrownBy(() -> backfill.resolveBadRow("777", "ops@example.com")).isInstanceOf(BackfillException.class)
                .hasMessageContaining("not an e-mail address");
        assertThat(backfill.badRows(10)).extracting(BadRowLog.Entry::rowKey).contains("777");

        exec("update \"users\" set \"email\" = 'Shipped@Example.com' where \"id\" = 777");
        assertThat(backfill.resolveBadRow("777", "ops@example.com")).isTrue();
        assertThat(backfill.resolveBadRow("777", "ops@example.com")).as("already resolved").isFalse();

        assertThat(count("\"id\" = 777 and \"email_normalized\" = 'shipped@example.com'")).isEqualTo(1);
        assertThat(backfill.badRows(10)).extracting(BadRowLog.Entry::rowKey).containsExactly("1234");
    }

    @Test
    void repairTheDrainCannotMakeMovesToTheBadRows() throws SQLException {
        Backfill backfill = backfill(TransformFailurePolicy.SKIP_AND_RECORD);
        backfill.run();
        exec("update \"users\" set \"email\" = 'Shiped!' where \"id\" = 778");
        try (Connection c = db.getConnection()) {
            RepairLog.ofDefaults().createIfMissing(c);
            RepairLog.ofDefaults().record(c, migration.id(), 778L, "778", new IllegalStateException("modern failed"));
        }

        BackfillResult result = backfill.run();

        assertThat(result.state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(result.repairsDrained()).isEqualTo(1);
        assertThat(backfill.badRows(10)).extracting(BadRowLog.Entry::rowKey).containsExactlyInAnyOrder("777", "778", "1234");
        try (Connection c = db.getConnection()) {
            assertThat(RepairLog.ofDefaults().pending(c, migration.id(), 10)).isEmpty();
        }
    }

    @Test
    void everyInstanceReadsTheKeysOfBadRowsFromTheLegacyColumn() {
        backfill(TransformFailurePolicy.SKIP_AND_RECORD).run();

        try (Flagway flagway = Flagway.builder().client(OpenFeatureAPI.getInstance().getClient("bad-rows-test"))
                .migration(migration).transactionRunner(new DataSourceTransactionRunner(db)).build()) {
            assertThat(flagway.migration("users-email").pinnedToLegacy("777")).isTrue();
            assertThat(flagway.migration("users-email").pinnedToLegacy("1234")).isTrue();
            assertThat(flagway.migration("users-email").pinnedToLegacy("778")).isFalse();
        }
    }

    private Backfill backfill(TransformFailurePolicy policy) {
        return Backfill.builder(migration, db, new H2Dialect())
                .settings(BackfillSettings.custom().initialBatchSize(100).minBatchSize(100).maxBatchSize(100)
                        .transformFailurePolicy(policy).build())
                .build();
    }

    private long count(String where) {
        return H2Sql.countUsers(db, where);
    }

    private void exec(String sql) {
        H2Sql.exec(db, sql);
    }
}
