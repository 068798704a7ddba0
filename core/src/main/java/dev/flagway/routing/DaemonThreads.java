package dev.flagway.routing;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories for Flagway's background threads: daemons, so they never keep an application alive. */
final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Daemon threads named {@code prefix1}, {@code prefix2}, ... */
    public static ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
