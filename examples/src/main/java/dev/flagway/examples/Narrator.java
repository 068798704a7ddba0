package dev.flagway.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Tells a run on the console and paces it: each phase as it starts (also starting it in the
 * {@link RunRecorder}) and notes within it.
 */
final class Narrator {
    private final PrintStream out;
    private final RunRecorder clock;

    Narrator(PrintStream out, RunRecorder clock) {
        this.out = out;
        this.clock = clock;
    }

    /** Starts and announces a phase. */
    void begin(String name, String what) {
        clock.phase(name);
        out.printf(Locale.ROOT, "%n[%5.1fs] %s%n", clock.seconds(), name);
        if (!what.isEmpty()) {
            out.println("         " + what);
        }
    }

    /** A note within the current phase. */
    void note(String text) {
        out.println("         " + text);
    }

    /** Lets the current phase run for {@code d}. */
    static void hold(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
