package dev.flagway.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs shadow reads off the callers' threads: a fixed pool with a bounded queue (a full queue drops
 * the task rather than waiting) and a timer that cancels a task running past its timeout. Each task
 * ends exactly once: completed or timed out.
 */
public final class ShadowExecutor implements AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timer;

    /** A pool of {@code threads} workers with room for {@code queueCapacity} waiting tasks. */
    public ShadowExecutor(int threads, int queueCapacity) {
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), DaemonThreads.named("flagway-shadow-"), new ThreadPoolExecutor.AbortPolicy());
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("flagway-shadow-timer-"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timer = scheduler;
    }

    /**
     * Starts {@code task} with a timeout.
     *
     * @return false when the pool is saturated (or closed) and the task was dropped
     */
    public boolean submit(Task task, long timeoutNanos) {
        Future<?> running;
        try {
            running = pool.submit(task);
        } catch (RejectedExecutionException e) {
            return false;
        }
        task.timeout = timer.schedule(() -> task.expire(running), timeoutNanos, TimeUnit.NANOSECONDS);
        return true;
    }

    /** Stops the workers (interrupting running shadow reads) and the timer. */
    @Override
    public void close() {
        pool.shutdownNow();
        timer.shutdownNow();
    }

    /** A shadow read: {@link #call()} runs on a worker, then exactly one of the two endings. */
    public abstract static class Task implements Runnable {
        private final AtomicBoolean settled = new AtomicBoolean();
        private volatile Future<?> timeout;

        /** The shadow read itself. */
        protected abstract Object call() throws Throwable;

        /** The read finished in time, with a result or a failure ({@code error} non-null). */
        protected abstract void completed(Object result, Throwable error, long elapsedNanos);

        /** The read ran past its timeout and was cancelled. */
        protected abstract void timedOut();

        @Override
        public final void run() {
            long start = System.nanoTime();
            Object result = null;
            Throwable error = null;
            try {
                result = call();
            } catch (Throwable t) {
                Failures.rethrowIfFatal(t);
                error = t;
            }
            if (settled.compareAndSet(false, true)) {
                Future<?> pending = timeout;
                if (pending != null) {
                    pending.cancel(false);
                }
                completed(result, error, System.nanoTime() - start);
            }
        }

        private void expire(Future<?> running) {
            if (settled.compareAndSet(false, true)) {
                running.cancel(true);
                timedOut();
            }
        }
    }
}
