package dev.flagway.examples;

import java.io.PrintStream;
import java.util.Locale;

/** Tells the run on the console: each phase as it starts, notes within it, and a progress line redrawn in place. */
final class Narrator {
    private final PrintStream out;
    private final RunRecorder clock;
    private boolean progressShown;

    Narrator(PrintStream out, RunRecorder clock) {
        this.out = out;
        this.clock = clock;
    }

    /** Announces a phase. */
    void phase(String name, String what) {
        endProgress();
        out.printf(Locale.ROOT, "%n[%5.1fs] %s%n", clock.seconds(), name);
        if (!what.isEmpty()) {
            out.println("         " + what);
        }
    }

    /** A note within the current phase. */
    void note(String text) {
        endProgress();
        out.println("         " + text);
    }

    /** Redraws the progress line. */
    void progress(String line) {
        out.print("\r         " + line + "   ");
        out.flush();
        progressShown = true;
    }

    private void endProgress() {
        if (progressShown) {
            out.println();
            progressShown = false;
        }
    }
}
