package dev.flagway.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Stage;
import dev.flagway.backfill.BackfillProgress;
import dev.flagway.lifecycle.FlagPosition;
import dev.flagway.lifecycle.IllegalMoveException;
import dev.flagway.lifecycle.LifecycleMove;
import dev.flagway.lifecycle.LifecyclePhase;
import dev.flagway.lifecycle.LifecycleState;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.schema.AuditEvent;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The declared extra expand steps and sequencing guards: the NOT NULL step after a verified backfill,
 * a migration's own backfill settings, the backfill waiting for {@code dual_write} to reach every
 * instance, and an expand whose flag write failed finished by a second expand.
 */
class DeclaredStepsTest {
    private static final String OPS = "ops@example.com";
    private static final String WHY = "CHG-1234";

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB", "MYSQL8"})
    void theDeclaredNotNullStepRunsOnlyAfterAVerifiedBackfillAndLockSafely(TestDatabase db) throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 25, true, Map.of("new-column-not-null", "true",
                "backfill.max-batch-size", "7", "backfill.initial-batch-size", "7", "backfill.min-batch-size", "1",
                "ddl.lock-timeout", "3s"))) {
            MigrationLifecycle lc = env.instance().lifecycle;
            String script = lc.script();
            assertThat(script).contains("-- enforce not null (after a passing verification, dual_write to ramp_down)");
            if (db == TestDatabase.POSTGRES) {
                assertThat(script).containsIgnoringCase("not valid").containsIgnoringCase("validate constraint")
                        .containsIgnoringCase("set not null");
            }
            lc.expand(OPS, WHY);
            assertThatThrownBy(() -> lc.enforceNotNull(OPS, WHY)).isInstanceOf(IllegalMoveException.class)
                    .hasMessageContaining("enforce-not-null refused at expanded");
            lc.startDualWrite(OPS, WHY);
            assertThat(lc.legalMoves()).contains(LifecycleMove.ENFORCE_NOT_NULL);
            assertThatThrownBy(() -> lc.enforceNotNull(OPS, WHY)).hasMessageContaining("the backfill never ran");

            List<BackfillProgress> progress = new ArrayList<>();
            lc.backfill(OPS, WHY, progress::add);
            assertThat(progress).as("the migration's own backfill.max-batch-size").allSatisfy(p ->
                    assertThat(p.batchSize()).isLessThanOrEqualTo(7));
            assertThatThrownBy(() -> lc.enforceNotNull(OPS, WHY)).hasMessageContaining("never verified");
            assertThat(nullable(env)).isTrue();
            lc.verify(OPS, WHY);

            lc.enforceNotNull(OPS, "new column complete");
            assertThat(nullable(env)).isFalse();
            assertThatThrownBy(() -> env.exec("insert into " + env.table + " (id, email) values (999, 'x@example.com')"))
                    .as("a row without the new column is refused now").isInstanceOf(SQLException.class);
            assertThat(lc.state().phase()).isEqualTo(LifecyclePhase.DUAL_WRITE);
            assertThat(new JdbcAuditLog(env.dataSource, env.prefix + "_audit").events(env.migrationId))
                    .filteredOn(e -> e.action().equals("lifecycle enforce-not-null")).singleElement()
                    .extracting(AuditEvent::detail).asString().contains("email_normalized is NOT NULL", "reason: new "
                            + "column complete", "lifecycle version 4");
            assertThat(lc.runbook()).contains("| enforce-not-null | ops@example.com | at dual_write: email_normalized "
                    + "is NOT NULL");

            lc.undoExpand(OPS, "abandoned");
            assertThat(env.columnExists("email_normalized")).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES"})
    void aMigrationWithoutTheNotNullStepRefusesItAndDoesNotListIt(TestDatabase db) throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 5, true)) {
            MigrationLifecycle lc = env.instance().lifecycle;
            lc.expand(OPS, WHY);
            lc.startDualWrite(OPS, WHY);
            assertThat(lc.legalMoves()).doesNotContain(LifecycleMove.ENFORCE_NOT_NULL);
            assertThat(lc.script()).doesNotContain("enforce not null");
            assertThatThrownBy(() -> lc.enforceNotNull(OPS, WHY)).isInstanceOf(IllegalMoveException.class)
                    .hasMessageContaining("declares no NOT NULL step: set flagway.migrations.users-email."
                            + "new-column-not-null=true");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB", "MYSQL8"})
    void theBackfillWaitsUntilEveryInstanceCanHaveSeenDualWriteOrSaysWhenItMayStart(TestDatabase db)
            throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 10)) {
            LifecycleEnv.Instance a = env.instance();
            MigrationLifecycle slow = env.factory(a.flagway, a.provider.admin()).flagPropagation(Duration.ofMinutes(10))
                    .build().lifecycle(env.migrationId);
            slow.expand(OPS, WHY);
            LifecycleState dualWrite = slow.startDualWrite(OPS, WHY);
            assertThatThrownBy(() -> slow.backfill(OPS, WHY)).isInstanceOf(IllegalMoveException.class)
                    .hasMessageContaining("backfill refused at dual_write: dual_write was set at " + dualWrite.updatedAt())
                    .hasMessageContaining("one flag refresh interval (10m)")
                    .hasMessageContaining("the backfill may start at " + dualWrite.updatedAt().plus(Duration.ofMinutes(10)));
            env.clock.shift.set(Duration.ofMinutes(10));
            slow.backfill(OPS, WHY); // ten minutes later, by the lifecycle's clock

            slow.undoExpand(OPS, WHY);
            env.clock.shift.set(Duration.ZERO);
            MigrationLifecycle quick = env.factory(a.flagway, a.provider.admin()).flagPropagation(Duration.ofMillis(300))
                    .build().lifecycle(env.migrationId);
            quick.expand(OPS, WHY);
            LifecycleState set = quick.startDualWrite(OPS, WHY);
            AtomicReference<Instant> firstBatch = new AtomicReference<>();
            quick.backfill(OPS, WHY, p -> firstBatch.compareAndSet(null, env.clock.instant()));
            assertThat(firstBatch.get()).as("the first batch waited for the propagation interval")
                    .isAfterOrEqualTo(set.updatedAt().plus(Duration.ofMillis(300)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES", "MARIADB", "MYSQL8"})
    void anExpandWhoseFlagWriteFailedIsFinishedByTheNextExpand(TestDatabase db) throws Exception {
        try (LifecycleEnv env = new LifecycleEnv(db, 5, true)) {
            LifecycleEnv.PausingWriter writer = new LifecycleEnv.PausingWriter();
            MigrationLifecycle lc = env.instance(writer).lifecycle;
            writer.failWrites = new IllegalStateException("flag store unreachable");
            assertThatThrownBy(() -> lc.expand(OPS, WHY)).hasMessageContaining("flag store unreachable");
            assertThat(lc.state().phase()).isEqualTo(LifecyclePhase.PLANNED);
            assertThat(env.columnExists("email_normalized")).as("the DDL ran before the flag write failed").isTrue();

            writer.failWrites = null;
            LifecycleState expanded = lc.expand(OPS, "retry");
            assertThat(expanded.phase()).isEqualTo(LifecyclePhase.EXPANDED);
            assertThat(lc.flag()).contains(FlagPosition.everyKey(Stage.OFF));
            assertThat(env.columnExists("email_normalized")).isTrue();
            assertThat(env.indexExists(env.table + "_email_normalized_idx")).isTrue();
            lc.startDualWrite(OPS, WHY);
            assertThat(lc.backfill(OPS, WHY).rowsUpdated()).isEqualTo(5);
        }
    }

    private static boolean nullable(LifecycleEnv env) throws SQLException {
        try (Connection c = env.dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            for (String t : List.of(env.table, env.table.toUpperCase())) {
                for (String col : List.of("email_normalized", "EMAIL_NORMALIZED")) {
                    try (ResultSet rs = meta.getColumns(null, null, t, col)) {
                        if (rs.next()) {
                            return rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls;
                        }
                    }
                }
            }
        }
        throw new AssertionError("column email_normalized not found");
    }
}
