package dev.flagway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code target/flagway.jar} as a process, as a shell would, and captures what it prints. */
final class Cli {
    private static final long TIMEOUT_SECONDS = 120;

    private final Map<String, String> env = new HashMap<>();

    /** The jar the build made (the surefire configuration names it). */
    static Path jar() {
        Path jar = Path.of(System.getProperty("flagway.cli.jar", "target/flagway.jar"));
        assertThat(jar).as("the executable jar; the tests run after the package phase").exists();
        return jar;
    }

    /** Sets an environment variable of the commands this runs. */
    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs {@code flagway args...} and waits for it to end. */
    Result run(String... args) {
        return await(start(args));
    }

    /** Starts {@code flagway args...} without waiting. */
    Process start(String... args) {
        // the JVM options the README's launcher uses: a command line wants a quick start, not peak throughput
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        synchronized (Cli.class) {
            command.addAll(ClassSharing.options());
            command.addAll(List.of("-jar", jar().toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().keySet().removeIf(k -> k.startsWith("FLAGWAY_"));
            pb.environment().putAll(env);
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            try {
                return ClassSharing.started(pb.start());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Class data sharing for the test JVM's commands, only to save test time (about half a second of
     * each command's start): the first command of this test JVM writes a dynamic archive of the
     * classes it loaded when it exits, the commands started after that exit read it. Logging is off
     * in both, so the archive's notes never mix with what a command prints; a missing or unusable
     * archive only means the classes load as usual.
     */
    private static final class ClassSharing {
        private static final Path ARCHIVE = Path.of("target", "cli-cds", "fork-" + ProcessHandle.current().pid() + ".jsa");
        private static Process writer;

        static List<String> options() {
            if (writer == null) {
                try {
                    Files.createDirectories(ARCHIVE.getParent());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return List.of("-Xlog:disable", "-XX:ArchiveClassesAtExit=" + ARCHIVE);
            }
            return writer.isAlive() || !Files.exists(ARCHIVE)
                    ? List.of() : List.of("-Xlog:disable", "-XX:SharedArchiveFile=" + ARCHIVE);
        }

        static Process started(Process process) {
            if (writer == null) {
                writer = process;
            }
            return process;
        }
    }

    /** Waits for a started command and collects its output. */
    static Result await(Process p) {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("flagway did not end within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), out.get(), err.get());
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError(e);
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Writes a properties file into {@code dir}. */
    static Path properties(Path dir, String name, String... lines) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a command did.
     *
     * @param code the exit code
     * @param out what it printed on stdout
     * @param err what it printed on stderr
     */
    record Result(int code, String out, String err) {
        /** Asserts the exit code, showing the output when it differs. */
        Result exits(int expected) {
            assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(expected);
            return this;
        }

        /** Asserts the command failed with exactly one line on stderr, and returns it. */
        String oneErrorLine() {
            List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as("stderr of a failure is one line; stdout:%n%s", out).hasSize(1);
            return lines.get(0);
        }
    }
}
