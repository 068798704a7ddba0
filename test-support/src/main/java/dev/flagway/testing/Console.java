package dev.flagway.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * What test support tells the person running the build: why a database's tests are skipped (one
 * line per database, when it is first found missing) and, when the test JVM ends, which databases
 * were skipped in it and how many tests each.
 *
 * <p>{@link #BUILD} writes to the JVM's own stderr, not {@code System.err}: Surefire redirects test
 * output to files but copies a forked JVM's native stderr to the console, and the end-of-run line,
 * printed from a shutdown hook, then lands after the module's last test class, before its "Results:".
 * Each test JVM (so each Maven module) prints its own list.
 */
final class Console {
    /** The console of the build running the tests. */
    static final Console BUILD = new Console(new PrintStream(new FileOutputStream(FileDescriptor.err), true,
            StandardCharsets.UTF_8));

    private final PrintStream out;
    private final Map<TestDatabase, AtomicInteger> skipped = new ConcurrentSkipListMap<>();
    private final AtomicBoolean summaryHooked = new AtomicBoolean();

    Console(PrintStream out) {
        this.out = out;
    }

    /** Counts a test skipped because {@code db} is unavailable; the first one prints why. */
    void skipped(TestDatabase db, String reason) {
        skipped.computeIfAbsent(db, d -> {
            out.println("[WARNING] Flagway: " + d + " tests are skipped: " + reason);
            return new AtomicInteger();
        }).incrementAndGet();
        if (summaryHooked.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> out.println("[WARNING] Flagway: " + summary()),
                    "flagway-skipped-databases"));
        }
    }

    /** One line for the console, e.g. that a missing test database was created. */
    void info(String message) {
        out.println("[INFO] Flagway: " + message);
    }

    /** The end-of-run line: every skipped database with its number of skipped tests. */
    String summary() {
        return "database tests skipped in this test run: " + skipped.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue().get() + " tests)")
                .collect(Collectors.joining(", ")) + "; the reasons were printed when each was first missed";
    }
}
