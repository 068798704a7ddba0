package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillState;
import dev.flagway.backfill.Transform;
import dev.flagway.backfill.TransformFailurePolicy;
import dev.flagway.jdbc.BadRowLog;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A row the backfill cannot migrate on MySQL/MariaDB with a set-based SQL transform: the new
 * column's unique index refuses one derived value, the batch's UPDATE fails as a whole, and the
 * batch is written again row by row under savepoints so that only the refused row is recorded.
 */
class MySqlBadRowsTest {
    private final MySqlUsers users = new MySqlUsers();
    private DataSource ds;

    @AfterEach
    void dropTables() throws Exception {
        if (ds != null) {
            users.drop(ds);
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void skipAndRecordWritesTheRestOfABatchTheDatabaseRefused(Server server) throws Exception {
        ds = server.dataSource();
        users.create(ds, 3_000, false);
        Sql.exec(ds, "CREATE UNIQUE INDEX `" + users.table + "_new` ON `" + users.table + "` (email_normalized)",
                "UPDATE `" + users.table + "` SET email = ' user1@example.com' WHERE id = 1234");
        Backfill backfill = Backfill.builder(users.migration, ds, MySqlDialect.detect(ds))
                .transform(Transform.sql(legacy -> DSL.lower(DSL.trim(legacy.cast(String.class)))))
                .settings(users.settings().initialBatchSize(500).minBatchSize(500).maxBatchSize(500)
                        .transformFailurePolicy(TransformFailurePolicy.SKIP_AND_RECORD).build())
                .build();

        BackfillResult result = backfill.run();

        assertThat(result.state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(result.rowsUpdated()).isEqualTo(3_000 - 1);
        assertThat(Sql.queryLong(ds, "SELECT COUNT(*) FROM `" + users.table + "` WHERE email_normalized IS NULL"))
                .isEqualTo(1);
        assertThat(backfill.badRows(10)).singleElement().satisfies(bad -> {
            assertThat(bad.rowKey()).isEqualTo("1234");
            assertThat(bad.legacyValue()).isEqualTo(" user1@example.com");
            assertThat(bad.error()).contains("Duplicate entry");
        });
    }
}
