package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillException;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillState;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.testing.KillPoint;
import dev.flagway.testing.TrapDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backfill's work connection KILLed at each of its statements, at an exact moment rather than by
 * timing: the run reconnects, resumes from its checkpoint and neither skips nor repeats a row; a run
 * that may not reconnect leaves its checkpoint FAILED. A trigger counts the writes of each row's new
 * column. (MariaDB runs without performance_schema here, so the session is found by the connection's
 * own id rather than by its label.)
 */
class MySqlBackfillKillTest {
    private static final int ROWS = 10_000;
    private static final int BATCH = 1_000;
    private static final int REPAIRED = 30;

    private final MySqlUsers users = new MySqlUsers();
    private DataSource ds;

    static Stream<Arguments> serversAndPoints() {
        return Stream.of(Server.values()).flatMap(s -> Stream.of(KillPoint.values()).map(p -> Arguments.of(s, p)));
    }

    static Stream<Arguments> serversAndWritePoints() {
        return Stream.of(Server.values()).flatMap(s -> Stream.of(KillPoint.UPDATE_BATCH, KillPoint.CHECKPOINT_COMMIT)
                .map(p -> Arguments.of(s, p)));
    }

    @AfterEach
    void dropTables() throws Exception {
        if (ds != null) {
            users.drop(ds);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("serversAndPoints")
    void killedAtEachOfItsStatementsTheRunResumesWithoutSkippingOrRepeatingARow(Server server, KillPoint point)
            throws Exception {
        createUsers(server);
        recordRepairs();
        TrapDataSource trap = new TrapDataSource(ds);
        point.arm(trap, users.table, users.checkpoints, users.repairs, point == KillPoint.REPAIR_DRAIN ? 15 : 5, this::kill);

        BackfillResult result = backfill(trap.dataSource(), 5).run();

        assertThat(trap.fired()).isTrue();
        assertThat(result.state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(result.reconnects()).isEqualTo(1);
        assertThat(result.rowsDone()).isEqualTo(ROWS);
        assertThat(result.rowsUpdated()).isEqualTo(ROWS);
        assertThat(Sql.queryLong(ds, "SELECT COUNT(*) FROM `" + users.table + "` WHERE touches <> IF(id <= " + REPAIRED
                + ", 2, 1)")).as("rows not written exactly once by the walk and once by a repair").isZero();
        assertThat(Sql.queryLong(ds, "SELECT COUNT(*) FROM `" + users.repairs + "`")).isZero();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("serversAndWritePoints")
    void runThatMayNotReconnectLeavesItsCheckpointFailedInItsPlaceAndTheNextRunFinishes(Server server, KillPoint point)
            throws Exception {
        createUsers(server);
        TrapDataSource trap = new TrapDataSource(ds);
        point.arm(trap, users.table, users.checkpoints, users.repairs, 5, this::kill);
        Backfill first = backfill(trap.dataSource(), 0);

        assertThatThrownBy(first::run).isInstanceOf(BackfillException.class).hasMessageContaining("lost its connection");

        assertThat(first.checkpoint()).hasValueSatisfying(c -> {
            assertThat(c.state()).isEqualTo(BackfillState.FAILED);
            assertThat(c.rowsDone()).isEqualTo(4L * BATCH);
            assertThat(c.lastKey()).isEqualTo(String.valueOf(4 * BATCH));
        });
        BackfillResult second = backfill(ds, 0).run();
        assertThat(second.state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(second.rowsDone()).isEqualTo(ROWS);
        assertThat(Sql.queryLong(ds, "SELECT COUNT(*) FROM `" + users.table + "` WHERE touches <> 1")).isZero();
    }

    private Backfill backfill(DataSource dataSource, int maxReconnects) {
        return Backfill.builder(users.migration, dataSource, MySqlDialect.detect(ds))
                .settings(users.settings().initialBatchSize(BATCH).minBatchSize(BATCH).maxBatchSize(BATCH).repairPageSize(10)
                        .maxReconnects(maxReconnects).build())
                .build();
    }

    /** KILLs the victim's session by its own id, and waits until the server has let it go. */
    private void kill(Connection victim) {
        try (Connection admin = ds.getConnection()) {
            long id = Sql.connectionId(victim);
            Sql.exec(admin, "KILL CONNECTION " + id);
            assertThat(Session.await(Duration.ofSeconds(5), () -> Sql.queryLong(admin,
                    "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + id) == 0)).isTrue();
        } catch (Exception e) {
            throw new IllegalStateException("could not kill the backfill's session: " + e, e);
        }
    }

    private void createUsers(Server server) throws SQLException {
        ds = server.dataSource();
        users.create(ds, ROWS, true);
    }

    /** Repair-log entries for the first rows, as failed modern writes leave them. */
    private void recordRepairs() throws SQLException {
        RepairLog log = RepairLog.named(users.repairs);
        try (Connection c = ds.getConnection()) {
            for (long id = 1; id <= REPAIRED; id++) {
                log.record(c, users.migration.id(), id, String.valueOf(id), new IllegalStateException("simulated"));
            }
        }
    }
}
