package dev.flagway.cli;

import static dev.flagway.cli.JsonDoc.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code flagway rollout start|pause|resume|cap} with the jar alone on PostgreSQL: each move audited
 * with its actor and reason, JSON output, a move not legal now exits 8 with the reason and the legal
 * next moves, missing input exits 2.
 */
class RolloutCliTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES"})
    void anOperatorStartsPausesCapsAndResumesTheAutomaticRollout(TestDatabase server) throws Exception {
        try (Fixture f = new Fixture(server, dir, 20, true)) {
            String id = f.migration;
            Path config = f.properties("plan.properties", "rollout.steps=5,25,100", "rollout.hold=1h");
            Cli cli = new Cli();
            for (String[] move : new String[][] {{"expand", id, "--execute"}, {"stage", id, "dual_write"},
                    {"backfill", id, "--execute"}}) {
                String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(move),
                        java.util.stream.Stream.of("--actor", "alice", "--reason", "CHG-7")).toArray(String[]::new);
                cli.run(f.args(config, args)).exits(0);
            }
            cli.run(f.args(config, "verify", id)).exits(0);
            assertThat(cli.run(f.args(config, "rollout", "start", id, "--actor", "alice", "--reason", "CHG-7"))
                    .exits(ExitCode.ILLEGAL_MOVE).oneErrorLine()).startsWith("flagway rollout start: migration '" + id
                    + "': start-rollout refused at dual_write: start-rollout is legal only from shadow or live");
            cli.run(f.args(config, "stage", id, "shadow", "--actor", "alice", "--reason", "CHG-7")).exits(0);
            assertThat(cli.run(f.args(config, "rollout", "start", id, "--actor", "alice")).exits(2).oneErrorLine())
                    .contains("--reason");

            Object started = JsonDoc.parse(cli.run(f.args(config, "rollout", "start", id, "--actor", "alice",
                    "--reason", "CHG-7", "--format", "json")).exits(0).out());
            assertThat(at(started, "phase")).isEqualTo("live");
            assertThat(at(started, "livePercent")).isEqualTo(5.0);
            assertThat(at(started, "rollout")).isEqualTo("running");
            assertThat(cli.run(f.args(config, "rollout", "resume", id, "--actor", "bob", "--reason", "why"))
                    .exits(ExitCode.ILLEGAL_MOVE).oneErrorLine()).contains("the automatic rollout is running; "
                    + "resume-rollout needs it paused").contains("legal next moves: ");
            assertThat(cli.run(f.args(config, "rollout", "pause", id, "--actor", "bob", "--reason", "batch job"))
                    .exits(0).out()).contains("rollout pause " + id + ": now live 5.0%");
            assertThat(cli.run(f.args(config, "rollout", "cap", id, "150", "--actor", "bob", "--reason", "x"))
                    .exits(2).oneErrorLine()).contains("0 < N <= 100");
            Object capped = JsonDoc.parse(cli.run(f.args(config, "rollout", "cap", id, "25", "--actor", "bob",
                    "--reason", "half a day", "--format", "json")).exits(0).out());
            assertThat(at(capped, "rolloutCap")).isEqualTo(25.0);
            assertThat(at(capped, "rollout")).isEqualTo("paused");
            cli.run(f.args(config, "rollout", "resume", id, "--actor", "bob", "--reason", "done")).exits(0);

            Object status = JsonDoc.parse(cli.run(f.args(config, "status", id, "--format", "json")).exits(0).out());
            assertThat(at(status, "rollout.state")).isEqualTo("running");
            assertThat(at(status, "rollout.nextStep")).isEqualTo(25.0);
            assertThat(at(status, "rollout.cap")).isEqualTo(25.0);
            assertThat(new JdbcAuditLog(f.dataSource).events(id)).filteredOn(e -> e.action().contains("rollout"))
                    .extracting(e -> e.action() + " by " + e.actor())
                    .containsExactly("lifecycle start-rollout by alice", "lifecycle pause-rollout by bob",
                            "lifecycle cap-rollout by bob", "lifecycle resume-rollout by bob");
        }
    }
}
