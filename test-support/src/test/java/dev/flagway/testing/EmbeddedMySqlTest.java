package dev.flagway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded MySQL 8 leaves nothing running, even when its JVM is killed. */
class EmbeddedMySqlTest {

    @Test
    void aKilledJvmTakesItsServerWithItAndItsRunDirectoryIsRemovedLater() throws Exception {
        assumeTrue(EmbeddedMySql.supported(), "the embedded MySQL runs on Linux x86-64 only");
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedMySqlProbe.class.getName())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder printed = new StringBuilder();
            String line;
            String ready = null;
            while (ready == null && (line = out.readLine()) != null) {
                printed.append(line).append('\n');
                ready = line.startsWith("ready ") ? line : null;
            }
            assertThat(ready).as("the probe JVM started its server; it printed:%n%s", printed).isNotNull();
            Path run = Path.of(ready.substring("ready ".length()));
            ProcessHandle server = EmbeddedMySql.serverOf(run).orElseThrow();

            jvm.destroyForcibly();
            jvm.waitFor(10, TimeUnit.SECONDS);

            assertThat(server.onExit().completeOnTimeout(server, 15, TimeUnit.SECONDS).get().isAlive())
                    .as("mysqld %d after its JVM was killed", server.pid()).isFalse();
            assertThat(run).exists();
            EmbeddedMySql.removeAbandonedRuns();
            assertThat(run).doesNotExist();
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void onlyRunDirectoriesOfJvmsThatAreGoneAreRemoved(@TempDir Path runs) throws Exception {
        Path own = Files.createDirectories(runs.resolve(
                EmbeddedMySql.runDirectory(ProcessHandle.current()).getFileName().toString()));
        Path gone = Files.createDirectories(runs.resolve(deadPid() + "-0").resolve("data"));
        Path reusedPid = Files.createDirectories(runs.resolve(ProcessHandle.current().pid() + "-1"));
        Files.writeString(gone.getParent().resolve("mysqld.pid"), String.valueOf(ProcessHandle.current().pid()));

        EmbeddedMySql.removeAbandonedRuns(runs);

        try (var left = Files.list(runs)) {
            assertThat(left.toList()).containsExactly(own);
        }
        assertThat(reusedPid).doesNotExist();
        assertThat(ProcessHandle.current().isAlive()).as("a pid file naming a process of another command is ignored")
                .isTrue();
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
