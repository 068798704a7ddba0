package dev.flagway.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Tells a run on the console and paces it: each phase as it starts (also starting it in the
 * {@link RunRecorder}), notes within it, and a progress line redrawn in place (from another thread too).
 */
final class Narrator {
    private final PrintStream out;
    private final RunRecorder clock;
    private boolean progressShown;

    Narrator(PrintStream out, RunRecorder clock) {
        this.out = out;
        this.clock = clock;
    }

    /** Starts and announces a phase. */
    synchronized void begin(String name, String what) {
        clock.phase(name);
        endProgress();
        out.printf(Locale.ROOT, "%n[%5.1fs] %s%n", clock.seconds(), name);
        if (!what.isEmpty()) {
            out.println("         " + what);
        }
    }

    /** A note within the current phase. */
    synchronized void note(String text) {
        endProgress();
        out.println("         " + text);
    }

    /** Redraws the progress line. */
    synchronized void progress(String line) {
        out.print("\r         " + line + "   ");
        out.flush();
        progressShown = true;
    }

    /** Lets the current phase run for {@code d}. */
    static void hold(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    private void endProgress() {
        if (progressShown) {
            out.println();
            progressShown = false;
        }
    }
}
