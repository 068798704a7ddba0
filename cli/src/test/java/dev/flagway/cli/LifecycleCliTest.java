package dev.flagway.cli;

import static dev.flagway.cli.JsonDoc.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.schema.AuditEvent;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A migration declared with {@code new-column-type} and {@code transform-sql}, taken from expand to
 * contract with the jar alone on PostgreSQL and MariaDB (MySQL 8 passes too, but is left out: two more
 * minutes of build), every move through the lifecycle: the refused moves exit 8 with the reason and
 * the legal next moves on one line, the contract is refused (exit 5) until the configured business
 * cycle has passed, the moves are audited, and the runbook says where it stands with queries that run.
 */
class LifecycleCliTest {
    private static final int ROWS = 50;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES"})
    void aDbaTakesAMigrationFromExpandToContractWithTheCommandAlone(TestDatabase server) throws Exception {
        try (Fixture f = new Fixture(server, dir, ROWS, true)) {
            DataSource ds = f.dataSource;
            String table = f.table;
            String id = f.migration;
            Path weekly = f.config;
            Path tiny = f.properties("tiny.properties", "contract.business-cycle=1s");
            Cli cli = new Cli();
            // plan and the expand's dry run change nothing
            Cli.Result plan = cli.run(f.args(weekly, "plan", id)).exits(0);
            assertThat(plan.out()).contains("phase planned").containsIgnoringCase("add").contains("email_new")
                    .contains("legal next moves: expand");
            assertThat(cli.run(f.args(weekly, "expand", id)).exits(0).out()).startsWith("dry run: expand " + id)
                    .contains("nothing changed");
            assertThat(f.columns()).isEqualTo(2);
            assertThat(cli.run(f.args(weekly, "expand", id, "--execute", "--actor", "alice")).exits(2)
                    .oneErrorLine()).contains("--execute needs --actor and --reason");

            assertThat(cli.run(f.args(weekly, "expand", id, "--execute", "--actor", "alice", "--reason", "CHG-1"))
                    .exits(0).out()).contains("now expanded").contains("legal next moves: start-dual-write, undo-expand");
            assertThat(f.columns()).isEqualTo(3);
            assertThat(cli.run(f.args(weekly, "stage", id, "dual_write", "--actor", "alice")).exits(2)
                    .oneErrorLine()).contains("--reason");
            assertThat(cli.run(f.args(weekly, "stage", id, "dual_write", "--actor", "alice", "--reason", "CHG-1"))
                    .exits(0).out()).contains("now dual_write");
            assertThat(cli.run(f.args(weekly, "runbook", id)).exits(0).out()).contains("# Runbook: " + id)
                    .contains("- phase: **dual_write**").contains("## Rollback from dual_write")
                    .contains("`flagway rollback " + id + " --undo-expand --actor NAME --reason TEXT`");

            // complete from dual_write: illegal, one line with the reason and the legal next moves
            assertThat(cli.run(f.args(weekly, "stage", id, "complete", "--actor", "alice", "--reason", "CHG-1"))
                    .exits(ExitCode.ILLEGAL_MOVE).oneErrorLine()).isEqualTo("flagway stage: migration '" + id
                    + "': complete refused at dual_write: complete stops writing legacy; it is reached only from "
                    + "ramp_down (every key reading modern with legacy as fallback), not from dual_write; legal next "
                    + "moves: backfill, verify, shadow, undo-expand");
            // shadow before the backfill: the evidence is missing
            assertThat(cli.run(f.args(weekly, "stage", id, "shadow", "--actor", "alice", "--reason", "CHG-1"))
                    .exits(ExitCode.ILLEGAL_MOVE).oneErrorLine()).contains("the backfill never ran");

            assertThat(cli.run(f.args(weekly, "backfill", id, "--execute", "--actor", "alice", "--reason", "CHG-1"))
                    .exits(0).out()).contains("COMPLETED, " + ROWS + " rows walked");
            assertThat(newValue(ds, table, 7)).as("the declared transform-sql").isEqualTo("user7@example.com");
            assertThat(cli.run(f.args(weekly, "verify", id)).exits(0).out()).contains("passed: " + ROWS + " rows");

            // two operators at once: one wins, the other is refused (illegal now, or lost the race) in one line
            Process first = cli.start(f.args(weekly, "stage", id, "shadow", "--actor", "alice", "--reason", "a"));
            Process second = cli.start(f.args(weekly, "stage", id, "shadow", "--actor", "bob", "--reason", "b"));
            List<Cli.Result> both = List.of(Cli.await(first), Cli.await(second));
            assertThat(both).filteredOn(r -> r.code() == 0).hasSize(1);
            Cli.Result loser = both.stream().filter(r -> r.code() != 0).findFirst().orElseThrow();
            assertThat(loser.code()).isIn(ExitCode.ILLEGAL_MOVE, ExitCode.RUNNER_BUSY);
            assertThat(loser.oneErrorLine()).startsWith("flagway stage: migration '" + id + "': shadow ");

            for (String[] move : new String[][] {{"live", "--percent", "10"}, {"live", "--percent", "100"},
                    {"ramp_down"}, {"complete"}}) {
                List<String> a = new ArrayList<>(List.of("stage", id));
                a.addAll(List.of(move));
                a.addAll(List.of("--actor", "alice", "--reason", "CHG-1"));
                cli.run(f.args(weekly, a.toArray(String[]::new))).exits(0);
            }
            Object status = JsonDoc.parse(cli.run(f.args(weekly, "status", id, "--format", "json")).exits(0).out());
            assertThat(at(status, "phase")).isEqualTo("complete");
            assertThat(at(status, "flag.base")).isEqualTo("complete");
            assertThat(at(status, "backfill.state")).isEqualTo("COMPLETED");
            assertThat(at(status, "legalMoves")).isEqualTo(List.of("verify", "contract"));
            assertThat(cli.run(f.args(weekly, "status")).exits(0).out()).contains("PHASE").contains("complete");

            String runbook = cli.run(f.args(weekly, "runbook", id)).exits(0).out();
            assertThat(runbook).contains("- phase: **complete**").contains("Decision now: **refused**")
                    .contains("None: complete is one-way").contains("| lifecycle complete | alice |")
                    .contains("| SET_ROLLOUT | shadow, live to 10.0% of keys | alice |")
                    .contains("## Diagnostic queries (").contains("-- transactions open for more than a minute")
                    .contains("- contract: `flagway contract " + id + " --execute --actor NAME --reason TEXT`");
            String mismatches = runbook.lines().filter(l -> l.contains("<> (lower(email))")).findFirst().orElseThrow();
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(mismatches.substring(0, mismatches.length() - 1))) {
                assertThat(rs.next()).as("the runbook's mismatch query runs and finds none").isFalse();
            }

            // after complete: no backfill, no going back
            assertThat(cli.run(f.args(weekly, "backfill", id, "--execute")).exits(ExitCode.ILLEGAL_MOVE)
                    .oneErrorLine()).contains("backfill refused at complete: legacy is no longer written");
            assertThat(cli.run(f.args(weekly, "rollback", id, "--actor", "bob", "--reason", "panic"))
                    .exits(ExitCode.ILLEGAL_MOVE).oneErrorLine()).contains("complete is one-way")
                    .endsWith("legal next moves: verify, contract");

            // the business cycle (7 days by default) has not passed: gate and contract refuse
            assertThat(cli.run(f.args(weekly, "gate", id)).exits(ExitCode.GATE_REFUSED).out())
                    .contains("of the required 7d");
            assertThat(cli.run(f.args(weekly, "gate", id, "--business-cycle", "1s")).exits(2).oneErrorLine())
                    .contains("set flagway.migrations." + id + ".contract.business-cycle");
            assertThat(cli.run(f.args(weekly, "contract", id, "--execute", "--actor", "dba", "--reason", "CHG-1"))
                    .exits(ExitCode.GATE_REFUSED).oneErrorLine()).startsWith("flagway contract: contract of " + id
                    + " refused: ");
            assertThat(f.columns()).isEqualTo(3);

            // a business cycle of 1s, configured: once it has passed, the contract runs
            Thread.sleep(1_500);
            cli.run(f.args(tiny, "gate", id)).exits(0);
            assertThat(cli.run(f.args(tiny, "contract", id, "--execute", "--actor", "dba", "--reason", "CHG-1"))
                    .exits(0).out()).contains("dropped " + table + ".email");
            assertThat(f.columns()).isEqualTo(2);
            assertThat(at(JsonDoc.parse(cli.run(f.args(tiny, "status", id, "--format", "json")).exits(0).out()),
                    "phase")).isEqualTo("contracted");
            assertThat(new JdbcAuditLog(ds).events(id)).extracting(AuditEvent::action)
                    .contains("lifecycle expand", "lifecycle start-dual-write", "lifecycle backfill", "lifecycle verify",
                            "lifecycle shadow", "lifecycle live", "lifecycle ramp-down", "lifecycle complete",
                            "lifecycle contract");
        }
    }

    private static String newValue(DataSource ds, String table, long id) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT email_new FROM " + table + " WHERE id = " + id)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
