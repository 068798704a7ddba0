package dev.flagway.routing;

import dev.flagway.internal.DaemonThreads;
import dev.flagway.internal.Failures;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs shadow reads off the callers' threads: a fixed pool with room for a bounded number of waiting
 * tasks (beyond it a task is dropped rather than waited for), and one dispatcher thread that hands
 * the submitted tasks to the pool and ends the tasks that run past their deadline, interrupting their
 * worker. Each task ends exactly once: completed or timed out.
 *
 * <p>Submitting costs the caller the task, a lock-free queue slot and a counter, and wakes no thread:
 * waking a parked worker is a system call of several microseconds, more than the whole routed read
 * the task was sampled from. While tasks keep arriving the dispatcher collects them every
 * {@value #DISPATCH_MILLIS} ms, so a comparison starts at most that much later; after
 * {@value #WARM_MILLIS} ms without one it sleeps, and only the first task after that wakes it. The
 * dispatcher checks deadlines on the same rounds, so a task times out at most one round after its
 * deadline, whether it is running or still waiting (then without running).
 */
final class ShadowExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShadowExecutor.class);
    static final long DISPATCH_MILLIS = 1;
    static final long WARM_MILLIS = 20;
    private static final long DISPATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(DISPATCH_MILLIS);
    private static final long WARM_NANOS = TimeUnit.MILLISECONDS.toNanos(WARM_MILLIS);

    private final ThreadPoolExecutor pool;
    /** Tasks handed over to the pool and not yet taken by a worker. */
    private final BlockingQueue<Runnable> queue;
    /** Tasks submitted and not yet handed over to the pool. */
    private final Queue<Task> inbox = new ConcurrentLinkedQueue<>();
    /** Tasks submitted and not yet ended and off their worker: at most {@link #capacity}. */
    private final AtomicInteger outstanding = new AtomicInteger();
    private final int capacity;
    /** The task each worker runs, in no particular order; at most one per worker. */
    private final AtomicReferenceArray<Task> running;
    private final Thread dispatcher;
    private volatile boolean dispatcherAsleep;
    private volatile boolean closed;

    /** A pool of {@code threads} workers with room for {@code queueCapacity} tasks waiting for one. */
    public ShadowExecutor(int threads, int queueCapacity) {
        this.queue = new LinkedBlockingQueue<>();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, queue,
                DaemonThreads.named("flagway-shadow-"), new ThreadPoolExecutor.AbortPolicy());
        this.capacity = threads + queueCapacity;
        this.running = new AtomicReferenceArray<>(threads);
        this.dispatcher = DaemonThreads.named("flagway-shadow-dispatcher-").newThread(this::dispatch);
        dispatcher.start();
    }

    /**
     * Starts {@code task} with a timeout.
     *
     * @return false when the pool is saturated (or closed) and the task was dropped
     */
    public boolean submit(Task task, long timeoutNanos) {
        if (closed) {
            return false;
        }
        if (outstanding.incrementAndGet() > capacity) {
            outstanding.decrementAndGet();
            return false;
        }
        task.owner = this;
        task.deadline = System.nanoTime() + timeoutNanos;
        inbox.offer(task);
        if (dispatcherAsleep) {
            LockSupport.unpark(dispatcher);
        }
        return true;
    }

    /** Stops the workers (interrupting running shadow reads) and the dispatcher; waiting tasks never run. */
    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        LockSupport.unpark(dispatcher);
    }

    /** The dispatcher thread, for tests. */
    Thread dispatcherThread() {
        return dispatcher;
    }

    private int occupy(Task task) {
        for (int i = 0; i < running.length(); i++) {
            if (running.get(i) == null && running.compareAndSet(i, null, task)) {
                if (dispatcherAsleep) {
                    LockSupport.unpark(dispatcher);
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

    private void ended() {
        outstanding.decrementAndGet();
    }

    private void dispatch() {
        long lastWork = System.nanoTime();
        while (!closed) {
            long now = System.nanoTime();
            boolean busy;
            try {
                busy = handOver(now) | expireOverdue(now);
            } catch (RuntimeException e) {
                LOG.error("Shadow read dispatcher: a timed-out task's ending failed", e);
                busy = true;
            }
            if (busy) {
                lastWork = now;
            }
            if (busy || now - lastWork < WARM_NANOS) {
                LockSupport.parkNanos(this, DISPATCH_NANOS);
                continue;
            }
            // asleep is published before looking once more: a task submitted, or started, after that
            // look sees it and wakes the dispatcher, so no task waits or runs unwatched
            dispatcherAsleep = true;
            if (inbox.isEmpty() && !busy() && !closed) {
                LockSupport.park(this);
            }
            dispatcherAsleep = false;
            lastWork = System.nanoTime();
        }
    }

    /** Hands the submitted tasks to the pool, timing out those already past their deadline; whether there were any. */
    private boolean handOver(long now) {
        boolean any = false;
        Task task;
        while ((task = inbox.poll()) != null) {
            any = true;
            if (now - task.deadline >= 0) {
                task.expireWaiting();
                ended();
                continue;
            }
            try {
                pool.execute(task);
            } catch (RejectedExecutionException e) {
                return true; // closed meanwhile: the remaining tasks never run
            }
        }
        return any;
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
                ended();
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
        /** Set before the task takes a running slot, and read by the dispatcher only through that slot. */
        private Thread worker;

        /** The shadow read itself. */
        protected abstract Object call() throws Throwable;

        /** The read finished in time, with a result or a failure ({@code error} non-null). */
        protected abstract void completed(Object result, Throwable error, long elapsedNanos);

        /** The read ran past its timeout and was cancelled, or waited past it and never ran. */
        protected abstract void timedOut();

        @Override
        public final void run() {
            try {
                runOnWorker();
            } finally {
                owner.ended();
            }
        }

        private void runOnWorker() {
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
            // the dispatcher timed this task out: wait for its interrupt, then clear it, so that it
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
