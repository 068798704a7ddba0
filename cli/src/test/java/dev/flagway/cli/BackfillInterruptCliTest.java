package dev.flagway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.backfill.BackfillState;
import dev.flagway.backfill.Checkpoint;
import dev.flagway.backfill.CheckpointStore;
import dev.flagway.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ctrl-C during {@code backfill --execute} pauses the backfill at its checkpoint (recorded as
 * {@code PAUSED}, every committed row kept), and the same command continues from there to the end.
 */
class BackfillInterruptCliTest {
    private static final int ROWS = 3_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB"})
    void ctrlCPausesAtTheCheckpointAndTheSameCommandContinues(TestDatabase server) throws Exception {
        try (Fixture f = new Fixture(server, dir, ROWS)) {
            Checkpoint paused = interrupt(f, f.args("backfill", f.migration, "--execute", "--max-rows-per-second", "200",
                    "--max-batch-size", "50"));
            assertThat(f.count("email_new IS NOT NULL")).isEqualTo(paused.rowsUpdated());

            Cli.Result resumed = new Cli().run(f.args("backfill", f.migration, "--execute")).exits(0);
            assertThat(resumed.out()).contains("COMPLETED, " + ROWS + " rows walked, " + ROWS + " written ("
                    + (ROWS - paused.rowsUpdated()) + " by this run)");
            assertThat(f.count("email_new = email")).isEqualTo(ROWS);
        }
    }

    /**
     * A declared migration's backfill runs through its lifecycle: progress lines (rows, rate, ETA),
     * Ctrl-C pauses it at its checkpoint, and the same command finishes it (audited) with every row
     * transformed.
     */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB", "MYSQL8"})
    void aDeclaredMigrationsBackfillShowsProgressPausesOnCtrlCAndContinues(TestDatabase server) throws Exception {
        try (Fixture f = new Fixture(server, dir, ROWS, true)) {
            Cli cli = new Cli();
            cli.run(f.args("expand", f.migration, "--execute", "--actor", "alice", "--reason", "CHG-1")).exits(0);
            cli.run(f.args("stage", f.migration, "dual_write", "--actor", "alice", "--reason", "CHG-1")).exits(0);
            Checkpoint paused = interrupt(f, f.args("backfill", f.migration, "--execute", "--max-rows-per-second", "200",
                    "--max-batch-size", "50", "--actor", "alice", "--reason", "CHG-1"));
            assertThat(f.count("email_new IS NOT NULL")).isEqualTo(paused.rowsUpdated());

            Cli.Result resumed = cli.run(f.args("backfill", f.migration, "--execute", "--actor", "alice", "--reason",
                    "CHG-1")).exits(0);
            assertThat(resumed.out()).contains("COMPLETED, " + ROWS + " rows walked, " + ROWS + " written");
            assertThat(f.count("email_new = lower(email)")).isEqualTo(ROWS);
            assertThat(new dev.flagway.schema.JdbcAuditLog(f.dataSource).events(f.migration))
                    .extracting(dev.flagway.schema.AuditEvent::detail)
                    .anySatisfy(d -> assertThat(d).contains("COMPLETED, " + ROWS + " rows walked"));
        }
    }

    /** Starts the backfill, sends SIGINT once a progress line shows rows done, and checks the pause. */
    private static Checkpoint interrupt(Fixture f, String[] args) throws Exception {
        Process p = new Cli().start(args);
        List<String> seen = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            seen.add(line);
            if (line.startsWith("running ") && !line.startsWith("running 0 ") && !line.startsWith("running 0/")) {
                break;
            }
        }
        assertThat(line).as("a progress line before the end; saw %s", seen).isNotNull();
        Process signal = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        assertThat(signal.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Cli.Result interrupted = Cli.await(p);
        assertThat(interrupted.code()).as("the exit status of a process ended by SIGINT").isEqualTo(130);
        assertThat(interrupted.oneErrorLine()).startsWith("backfill " + f.migration + ": paused at its checkpoint after ")
                .endsWith("rows; run the same command to continue");

        assertThat(seen).anySatisfy(l -> assertThat(l).contains(" rows/s, ETA "));
        Checkpoint paused = new CheckpointStore(f.dataSource).load(f.migration).orElseThrow();
        assertThat(paused.state()).isEqualTo(BackfillState.PAUSED);
        assertThat(paused.rowsDone()).isPositive().isLessThan(ROWS);
        return paused;
    }
}
