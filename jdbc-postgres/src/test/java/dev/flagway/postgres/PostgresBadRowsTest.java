package dev.flagway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.BackfillState;
import dev.flagway.backfill.Transform;
import dev.flagway.backfill.TransformFailurePolicy;
import dev.flagway.jdbc.BadRowLog;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Rows the backfill cannot migrate on PostgreSQL, which aborts a transaction at its first error: a
 * batch whose UPDATE the new column's CHECK refuses is rolled back to its savepoint and written again
 * row by row, so that only the refused row is recorded and the others of its batch are written.
 */
class PostgresBadRowsTest {

    @Test
    void skipAndRecordKeepsGoingPastAThrowingTransformAndARefusedValue() {
        try (PgFixture f = new PgFixture(3_000, true)) {
            f.exec("alter table " + f.table + " add constraint " + f.table + "_allowed check (email_normalized <> "
                    + "'forbidden@example.com')");
            f.exec("update " + f.table + " set email = 'Shiped!' where id = 777");
            f.exec("update " + f.table + " set email = 'FORBIDDEN@example.com' where id = 1234");
            Backfill backfill = Backfill.builder(f.migration, f.dataSource, new PostgresDialect())
                    .transform(Transform.java(legacy -> {
                        if (legacy.toString().contains("!")) {
                            throw new IllegalArgumentException("not an e-mail address: " + legacy);
                        }
                        return legacy.toString().trim().toLowerCase(Locale.ROOT);
                    }))
                    .settings(BackfillSettings.custom().checkpointTable(f.checkpointTable).repairTable(f.repairTable)
                            .badRowTable(f.badRowTable).initialBatchSize(500).minBatchSize(500).maxBatchSize(500)
                            .transformFailurePolicy(TransformFailurePolicy.SKIP_AND_RECORD).build())
                    .build();

            BackfillResult result = backfill.run();

            assertThat(result.state()).isEqualTo(BackfillState.COMPLETED);
            assertThat(result.rowsUpdated()).isEqualTo(3_000 - 2);
            assertThat(f.count("select count(*) from " + f.table + " where email_normalized is null")).isEqualTo(2);
            assertThat(backfill.badRows(10)).extracting(BadRowLog.Entry::rowKey).containsExactlyInAnyOrder("777", "1234");
            assertThat(backfill.badRows(10)).filteredOn(bad -> bad.rowKey().equals("1234")).singleElement()
                    .satisfies(bad -> assertThat(bad.error()).contains("violates check constraint"));
        }
    }
}
