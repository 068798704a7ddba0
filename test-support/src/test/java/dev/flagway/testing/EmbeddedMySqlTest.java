package dev.flagway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded MySQL 8: JVMs starting at the same moment share one unpacking and initialization of
 * the cache, each gets a server of its own, and no server outlives its JVM, even a killed one.
 */
class EmbeddedMySqlTest {

    @Test
    void jvmsStartingAtOnceOnAnEmptyCacheEachGetAServerThatDoesNotOutliveThem(@TempDir Path cache) throws Exception {
        assumeTrue(EmbeddedMySql.supported(), "the embedded MySQL runs on Linux x86-64 only");
        Process killed = probe(cache);
        Process stopped = probe(cache);
        try {
            Path killedRun = awaitReady(killed);
            Path stoppedRun = awaitReady(stopped);
            ProcessHandle killedServer = EmbeddedMySql.serverOf(killedRun).orElseThrow();
            ProcessHandle stoppedServer = EmbeddedMySql.serverOf(stoppedRun).orElseThrow();
            assertThat(killedServer.pid()).isNotEqualTo(stoppedServer.pid());

            killed.destroyForcibly();
            stopped.destroy();

            assertThat(killed.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(stopped.waitFor(20, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle server : List.of(killedServer, stoppedServer)) {
                assertThat(server.onExit().completeOnTimeout(server, 15, TimeUnit.SECONDS).get().isAlive())
                        .as("mysqld %d after its JVM ended", server.pid()).isFalse();
            }
            assertThat(stoppedRun).as("removed by the stopped JVM's shutdown hook").doesNotExist();
            assertThat(killedRun).as("left by the killed JVM").exists();
            EmbeddedMySql.removeAbandonedRuns(killedRun.getParent());
            assertThat(killedRun).doesNotExist();
        } finally {
            killed.destroyForcibly();
            stopped.destroyForcibly();
        }
    }

    /** A JVM that starts the embedded MySQL with {@code cache} as its cache directory. */
    private static Process probe(Path cache) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedMySqlProbe.class.getName())
                .redirectErrorStream(true);
        builder.environment().put("FLAGWAY_CACHE_DIR", cache.toString());
        return builder.start();
    }

    /** The run directory the probe prints once its server is up. */
    private static Path awaitReady(Process probe) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder printed = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("ready ")) {
                return Path.of(line.substring("ready ".length()));
            }
            printed.append(line).append('\n');
        }
        throw new AssertionError("the probe JVM did not start its server; it printed:\n" + printed);
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
