package dev.flagway.cli;

import static dev.flagway.cli.JsonDoc.at;
import static dev.flagway.cli.JsonDoc.list;
import static dev.flagway.cli.JsonDoc.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.Stage;
import dev.flagway.dialect.RunnerLock;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.postgres.PostgresDialect;
import dev.flagway.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A migration taken through status, backfill (dry run, then executed), verify and gate with the jar
 * alone: each command's output, JSON and exit code. The whole walk runs on MySQL 8 (on PostgreSQL,
 * {@link LifecycleCliTest} takes a migration from expand to contract through the same jar); the
 * busy-runner exit code on PostgreSQL and MySQL 8.
 */
class MigrationCommandsTest {
    private static final int ROWS = 500;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"MYSQL8"})
    void statusBackfillVerifyAndGateTakeAMigrationToItsContract(TestDatabase server) throws Exception {
        Cli cli = new Cli();
        try (Fixture f = new Fixture(server, dir, ROWS)) {
            // status before anything ran: the flag's stage, no backfill, no verification, the gate closed
            Object status = JsonDoc.parse(cli.run(f.args("status", f.migration, "--format", "json")).exits(0).out());
            assertThat(at(status, "migration")).isEqualTo(f.migration);
            assertThat(at(status, "flag.present")).isEqualTo(true);
            assertThat(at(status, "flag.stage")).isEqualTo("dual_write");
            assertThat(at(status, "flag.updatedBy")).isEqualTo("alice");
            assertThat(at(status, "backfill")).isNull();
            assertThat(at(status, "verification")).isNull();
            assertThat(number(status, "pendingRepairs")).isZero();
            assertThat(number(status, "unresolvedBadRows")).isZero();
            assertThat(at(status, "gate.allowed")).isEqualTo(false);

            Cli.Result table = cli.run(f.args("status", f.migration)).exits(0);
            assertThat(table.out()).contains("flag          " + f.migration + ": dual_write")
                    .contains("backfill      never ran").contains("verification  never");

            // a dry run writes nothing
            Cli.Result dry = cli.run(f.args("backfill", f.migration)).exits(0);
            assertThat(dry.out()).contains("dry run").contains("pass --execute");
            assertThat(f.count("email_new IS NOT NULL")).isZero();

            // executed, not on a terminal: plain progress lines, then the result
            Cli.Result run = cli.run(f.args("backfill", f.migration, "--execute")).exits(0);
            assertThat(run.out()).doesNotContain("\r").contains("backfill " + f.migration + ": COMPLETED, " + ROWS
                    + " rows walked, " + ROWS + " written");
            assertThat(f.count("email_new = email")).isEqualTo(ROWS);

            // verify passes and is recorded
            Object verified = JsonDoc.parse(cli.run(f.args("verify", f.migration, "--format", "json")).exits(0).out());
            assertThat(at(verified, "passed")).isEqualTo(true);
            assertThat(number(verified, "totalRows")).isEqualTo(ROWS);
            assertThat(number(verified, "matchingRows")).isEqualTo(ROWS);

            // the gate refuses while the flag is not complete, naming the condition
            Cli.Result refused = cli.run(f.args("gate", f.migration, "--format", "json")).exits(5);
            Object decision = JsonDoc.parse(refused.out());
            assertThat(at(decision, "allowed")).isEqualTo(false);
            assertThat(list(decision, "unmet")).hasSize(1).first().asString()
                    .contains("flag '" + f.migration + "' is not at complete");
            assertThat(cli.run(f.args("gate", f.migration)).exits(5).out())
                    .contains("refused, 1 unmet condition").contains("unmet: flag '" + f.migration + "'");

            // complete, and a business cycle that has passed: the gate opens
            f.flags.setStage(f.migration, Stage.SHADOW, "alice", "shadow");
            f.flags.setStage(f.migration, Stage.LIVE, "alice", "live");
            f.flags.setStage(f.migration, Stage.COMPLETE, "alice", "done");
            Cli.Result open = cli.run(f.args("gate", f.migration, "--business-cycle", "1ms")).exits(0);
            assertThat(open.out()).contains("gate " + f.migration + ": contract may run");

            // a corrupted row: verify exits 4 and names its key; status shows the failed verification
            f.execute("UPDATE " + f.table + " SET email_new = 'someone@else' WHERE id = 42");
            Cli.Result mismatch = cli.run(f.args("verify", f.migration, "--parallelism", "1")).exits(4);
            assertThat(mismatch.out()).contains("1 mismatched").contains("42");
            Object failed = JsonDoc.parse(cli.run(f.args("verify", f.migration, "--format", "json")).exits(4).out());
            assertThat(list(failed, "sampleMismatchedKeys")).containsExactly("42");
            Object after = JsonDoc.parse(cli.run(f.args("status", f.migration, "--format", "json",
                    "--business-cycle", "1ms")).exits(0).out());
            assertThat(at(after, "flag.stage")).isEqualTo("complete");
            assertThat(at(after, "backfill.state")).isEqualTo("COMPLETED");
            assertThat(number(after, "backfill.rowsDone")).isEqualTo(ROWS);
            assertThat(at(after, "verification.passed")).isEqualTo(false);
            assertThat(list(after, "gate.unmet")).hasSize(1).first().asString().contains("verification");

            // every migration of the file, as a table
            assertThat(cli.run(f.args("status")).exits(0).out()).contains("MIGRATION").contains(f.migration)
                    .contains("completed " + ROWS + " rows");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MYSQL8"})
    void aBackfillWhoseMigrationAnotherRunnerHoldsExitsSeven(TestDatabase server) throws Exception {
        try (Fixture f = new Fixture(server, dir, 10)) {
            RunnerLock lock = server == TestDatabase.POSTGRES ? new PostgresDialect().runnerLock(f.dataSource)
                    : MySqlDialect.detect(f.dataSource).runnerLock(f.dataSource);
            Optional<RunnerLock.Lease> lease = lock.tryAcquire(f.migration);
            assertThat(lease).isPresent();
            try (RunnerLock.Lease held = lease.get()) {
                Cli.Result busy = new Cli().run(f.args("backfill", f.migration, "--execute")).exits(7);
                assertThat(busy.oneErrorLine()).contains("another runner holds its lock");
                assertThat(f.count("email_new IS NOT NULL")).isZero();
            }
        }
    }
}
