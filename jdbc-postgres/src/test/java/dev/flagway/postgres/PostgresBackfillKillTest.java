package dev.flagway.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillException;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.BackfillState;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.testing.KillPoint;
import dev.flagway.testing.TrapDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The backfill's session terminated ({@code pg_terminate_backend}, found by its session tag) at each
 * of its statements, at an exact moment rather than by timing: the run reconnects, resumes from its
 * checkpoint and neither skips nor repeats a row; a run that may not reconnect leaves its checkpoint
 * FAILED. A trigger counts the writes of each row's new column.
 */
class PostgresBackfillKillTest {
    private static final int ROWS = 10_000;
    private static final int BATCH = 1_000;
    private static final int REPAIRED = 30;

    @ParameterizedTest
    @EnumSource(KillPoint.class)
    void killedAtEachOfItsStatementsTheRunResumesWithoutSkippingOrRepeatingARow(KillPoint point) throws SQLException {
        try (PgFixture f = fixture()) {
            recordRepairs(f);
            TrapDataSource trap = new TrapDataSource(f.dataSource);
            point.arm(trap, f.table, f.checkpointTable, f.repairTable, point == KillPoint.REPAIR_DRAIN ? 15 : 5,
                    victim -> assertThat(f.terminate(tag(f))).as("sessions terminated").isEqualTo(1));

            BackfillResult result = backfill(f, trap.dataSource(), 5).run();

            assertThat(trap.fired()).isTrue();
            assertThat(result.state()).isEqualTo(BackfillState.COMPLETED);
            assertThat(result.reconnects()).isEqualTo(1);
            assertThat(result.rowsDone()).isEqualTo(ROWS);
            assertThat(result.rowsUpdated()).isEqualTo(ROWS);
            assertThat(f.count("select count(*) from " + f.table + " where touches <> case when id <= " + REPAIRED
                    + " then 2 else 1 end")).as("rows not written exactly once by the walk and once by a repair").isZero();
            assertThat(f.count("select count(*) from " + f.repairTable)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = KillPoint.class, names = {"UPDATE_BATCH", "CHECKPOINT_COMMIT"})
    void runThatMayNotReconnectLeavesItsCheckpointFailedInItsPlaceAndTheNextRunFinishes(KillPoint point) {
        try (PgFixture f = fixture()) {
            TrapDataSource trap = new TrapDataSource(f.dataSource);
            point.arm(trap, f.table, f.checkpointTable, f.repairTable, 5, victim -> f.terminate(tag(f)));
            Backfill first = backfill(f, trap.dataSource(), 0);

            assertThatThrownBy(first::run).isInstanceOf(BackfillException.class).hasMessageContaining("lost its connection");

            assertThat(first.checkpoint()).hasValueSatisfying(c -> {
                assertThat(c.state()).isEqualTo(BackfillState.FAILED);
                assertThat(c.rowsDone()).isEqualTo(4L * BATCH);
                assertThat(c.lastKey()).isEqualTo(String.valueOf(4 * BATCH));
            });
            BackfillResult second = backfill(f, f.dataSource, 0).run();
            assertThat(second.state()).isEqualTo(BackfillState.COMPLETED);
            assertThat(second.rowsDone()).isEqualTo(ROWS);
            assertThat(f.count("select count(*) from " + f.table + " where touches <> 1")).isZero();
        }
    }

    private static PgFixture fixture() {
        PgFixture f = new PgFixture(ROWS, true);
        String function = f.table + "_touch";
        f.exec("create function " + function + "() returns trigger language plpgsql as "
                + "$$ begin new.touches := old.touches + 1; return new; end $$");
        f.exec("create trigger " + function + " before update of email_normalized on " + f.table
                + " for each row execute function " + function + "()");
        f.dropAlso("drop function if exists " + function + "() cascade");
        return f;
    }

    /** Repair-log entries for the first rows, as failed modern writes leave them. */
    private static void recordRepairs(PgFixture f) throws SQLException {
        RepairLog log = RepairLog.named(f.repairTable);
        try (Connection c = f.dataSource.getConnection()) {
            log.createIfMissing(c);
            for (long id = 1; id <= REPAIRED; id++) {
                log.record(c, f.migration.id(), id, String.valueOf(id), new IllegalStateException("simulated"));
            }
        }
    }

    private static Backfill backfill(PgFixture f, javax.sql.DataSource dataSource, int maxReconnects) {
        return Backfill.builder(f.migration, dataSource, new PostgresDialect())
                .settings(BackfillSettings.custom().checkpointTable(f.checkpointTable).repairTable(f.repairTable)
                        .badRowTable(f.badRowTable).initialBatchSize(BATCH).minBatchSize(BATCH).maxBatchSize(BATCH)
                        .repairPageSize(10).maxReconnects(maxReconnects).build())
                .build();
    }

    private static String tag(PgFixture f) {
        return "flagway-backfill:" + f.migration.id();
    }
}
