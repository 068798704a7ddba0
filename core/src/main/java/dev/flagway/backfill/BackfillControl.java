package dev.flagway.backfill;

/** Run-time pause, resume and cancel requests, checked by the backfill between batches. */
final class BackfillControl {
    private boolean paused;
    private boolean cancelled;

    /** Clears the requests of an earlier run. */
    synchronized void reset() {
        paused = false;
        cancelled = false;
    }

    synchronized void pause() {
        paused = true;
    }

    synchronized void resume() {
        paused = false;
        notifyAll();
    }

    synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }

    synchronized boolean cancelled() {
        return cancelled;
    }

    synchronized boolean paused() {
        return paused && !cancelled;
    }

    /** Blocks while paused; returns false once cancelled. */
    synchronized boolean awaitRunnable() throws InterruptedException {
        while (paused && !cancelled) {
            wait();
        }
        return !cancelled;
    }

    /** Sleeps up to {@code millis}, waking early on cancel or resume. */
    synchronized void sleep(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        long left = millis;
        while (left > 0 && !cancelled) {
            wait(left);
            left = deadline - System.currentTimeMillis();
        }
    }
}
