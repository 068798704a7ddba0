package dev.flagway.routing;

import dev.flagway.internal.DaemonThreads;
import dev.flagway.internal.Failures;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs shadow reads off the callers' threads: a fixed pool with a bounded queue (a full queue drops
 * the task rather than waiting), and one watchdog thread that ends the tasks that run past their
 * deadline, interrupting their worker. Each task ends exactly once: completed or timed out.
 *
 * <p>Submitting costs the task and a queue slot, nothing else: deadlines are not scheduled per task.
 * The watchdog looks at the running tasks and the head of the queue every check interval while
 * there is work, and sleeps while there is none, so a task times out at most one check interval
 * after its deadline. A task whose deadline passes while it waits in the queue times out without
 * running.
 */
final class ShadowExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShadowExecutor.class);
    private static final long MIN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ThreadPoolExecutor pool;
    private final BlockingQueue<Runnable> queue;
    /** The task each worker runs, in no particular order; at most one per worker. */
    private final AtomicReferenceArray<Task> running;
    private final long checkIntervalNanos;
    private final Thread watchdog;
    private volatile boolean watchdogIdle;
    private volatile boolean closed;

    /**
     * A pool of {@code threads} workers with room for {@code queueCapacity} waiting tasks, whose
     * watchdog checks deadlines often enough for {@code shortestTimeout}: every tenth of it, between
     * 1 ms and 100 ms.
     */
    public ShadowExecutor(int threads, int queueCapacity, Duration shortestTimeout) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, queue,
                DaemonThreads.named("flagway-shadow-"), new ThreadPoolExecutor.AbortPolicy());
        this.running = new AtomicReferenceArray<>(threads);
        this.checkIntervalNanos = Math.max(MIN_CHECK_NANOS, Math.min(MAX_CHECK_NANOS, shortestTimeout.toNanos() / 10));
        this.watchdog = DaemonThreads.named("flagway-shadow-watchdog-").newThread(this::watch);
        watchdog.start();
    }

    /**
     * Starts {@code task} with a timeout.
     *
     * @return false when the pool is saturated (or closed) and the task was dropped
     */
    public boolean submit(Task task, long timeoutNanos) {
        task.owner = this;
        task.deadline = System.nanoTime() + timeoutNanos;
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Stops the workers (interrupting running shadow reads) and the watchdog. */
    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        LockSupport.unpark(watchdog);
    }

    /** The watchdog thread, for tests. */
    Thread watchdogThread() {
        return watchdog;
    }

    private int occupy(Task task) {
        for (int i = 0; i < running.length(); i++) {
            if (running.get(i) == null && running.compareAndSet(i, null, task)) {
                if (watchdogIdle) {
                    LockSupport.unpark(watchdog);
                }
                return i;
            }
        }
        // the pool never runs more tasks at once than it has workers, and there is a slot per worker
        throw new IllegalStateException("more shadow tasks running than workers");
    }

    private void vacate(int slot) {
        running.set(slot, null);
    }

    private void watch() {
        while (!closed) {
            boolean busy;
            try {
                busy = expireOverdue(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.error("Shadow read watchdog: a timed-out task's ending failed", e);
                busy = true;
            }
            if (busy) {
                LockSupport.parkNanos(this, checkIntervalNanos);
                continue;
            }
            // idle is published before looking once more: a worker that starts a task after that
            // look sees idle and wakes the watchdog, so no running task goes unwatched
            watchdogIdle = true;
            if (!busy() && !closed) {
                LockSupport.park(this);
            }
            watchdogIdle = false;
        }
    }

    /** Times out the overdue tasks, running or at the head of the queue; returns whether any work is left. */
    private boolean expireOverdue(long now) {
        for (int i = 0; i < running.length(); i++) {
            Task task = running.get(i);
            if (task != null && now - task.deadline >= 0) {
                task.expireRunning();
            }
        }
        Runnable head;
        while ((head = queue.peek()) instanceof Task task && now - task.deadline >= 0) {
            if (queue.remove(task)) {
                task.expireWaiting();
            }
        }
        return busy();
    }

    private boolean busy() {
        for (int i = 0; i < running.length(); i++) {
            if (running.get(i) != null) {
                return true;
            }
        }
        return !queue.isEmpty();
    }

    /** A shadow read: {@link #call()} runs on a worker, then exactly one of the two endings. */
    public abstract static class Task implements Runnable {
        private static final int PENDING = 0;
        private static final int DONE = 1;
        private static final int EXPIRING = 2;
        private static final int EXPIRED = 3;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Task.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") // through STATE
        private volatile int state;
        private ShadowExecutor owner;
        private long deadline;
        /** Set before the task takes a running slot, and read by the watchdog only through that slot. */
        private Thread worker;

        /** The shadow read itself. */
        protected abstract Object call() throws Throwable;

        /** The read finished in time, with a result or a failure ({@code error} non-null). */
        protected abstract void completed(Object result, Throwable error, long elapsedNanos);

        /** The read ran past its timeout and was cancelled, or waited past it and never ran. */
        protected abstract void timedOut();

        @Override
        public final void run() {
            long start = System.nanoTime();
            if (start - deadline >= 0) {
                expireWaiting();
                return;
            }
            worker = Thread.currentThread();
            int slot = owner.occupy(this);
            Object result = null;
            Throwable error = null;
            try {
                result = call();
            } catch (Throwable t) {
                Failures.rethrowIfFatal(t);
                error = t;
            } finally {
                owner.vacate(slot);
            }
            if (STATE.compareAndSet(this, PENDING, DONE)) {
                completed(result, error, System.nanoTime() - start);
                return;
            }
            // the watchdog timed this task out: wait for its interrupt, then clear it, so that it
            // cannot land on the next task this worker runs
            while ((int) STATE.getVolatile(this) != EXPIRED) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
        }

        private void expireRunning() {
            if (STATE.compareAndSet(this, PENDING, EXPIRING)) {
                worker.interrupt();
                STATE.setVolatile(this, EXPIRED);
                timedOut();
            }
        }

        private void expireWaiting() {
            if (STATE.compareAndSet(this, PENDING, EXPIRED)) {
                timedOut();
            }
        }
    }
}
