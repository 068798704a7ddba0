package dev.flagway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ShadowExecutorTest {
    private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long NO_TIMEOUT = TimeUnit.MINUTES.toNanos(10);

    @Test
    void taskRunningPastItsDeadlineIsInterruptedAndTimesOutOnce() throws Exception {
        try (ShadowExecutor executor = new ShadowExecutor(1, 10)) {
            Recording hanging = new Recording(() -> {
                new CountDownLatch(1).await(); // until interrupted
                return "never";
            });

            assertThat(executor.submit(hanging, TIMEOUT_NANOS)).isTrue();

            assertThat(hanging.ended.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(hanging.timedOut.get()).isEqualTo(1);
            assertThat(hanging.completed.get()).isZero();
            assertThat(hanging.interrupted.await(10, TimeUnit.SECONDS)).as("the worker was interrupted").isTrue();
        }
    }

    @Test
    void interruptOfATimedOutTaskNeverReachesTheNextTaskOnTheSameWorker() throws Exception {
        try (ShadowExecutor executor = new ShadowExecutor(1, 10)) {
            AtomicBoolean release = new AtomicBoolean();
            Recording stubborn = ignoringInterruptsUntil(release);
            AtomicBoolean nextSawInterrupt = new AtomicBoolean(true);
            Recording next = new Recording(() -> {
                nextSawInterrupt.set(Thread.currentThread().isInterrupted());
                return "next";
            });

            executor.submit(stubborn, TIMEOUT_NANOS);
            assertThat(stubborn.ended.await(10, TimeUnit.SECONDS)).isTrue();
            executor.submit(next, NO_TIMEOUT);
            release.set(true);

            assertThat(next.ended.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(next.completed.get()).isEqualTo(1);
            assertThat(nextSawInterrupt).isFalse();
            assertThat(stubborn.timedOut.get()).isEqualTo(1);
            assertThat(stubborn.completed.get()).as("a late result is not reported").isZero();
        }
    }

    @Test
    void taskWhoseDeadlinePassesInTheQueueTimesOutWithoutRunning() throws Exception {
        try (ShadowExecutor executor = new ShadowExecutor(1, 10)) {
            AtomicBoolean release = new AtomicBoolean();
            Recording stubborn = ignoringInterruptsUntil(release);
            AtomicInteger queuedRuns = new AtomicInteger();
            Recording queued = new Recording(() -> {
                queuedRuns.incrementAndGet();
                return "queued";
            });

            executor.submit(stubborn, NO_TIMEOUT);
            executor.submit(queued, TIMEOUT_NANOS);

            // ended while the only worker is still busy with the first task
            assertThat(queued.ended.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(queued.timedOut.get()).isEqualTo(1);
            release.set(true);
            assertThat(stubborn.ended.await(10, TimeUnit.SECONDS)).isTrue();
            Recording after = new Recording(() -> "after");
            executor.submit(after, NO_TIMEOUT);
            assertThat(after.ended.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(queuedRuns).hasValue(0);
        }
    }

    @Test
    void fullQueueRejectsInsteadOfWaiting() throws Exception {
        try (ShadowExecutor executor = new ShadowExecutor(1, 1)) {
            CountDownLatch release = new CountDownLatch(1);
            Recording running = new Recording(() -> {
                release.await();
                return "running";
            });

            assertThat(executor.submit(running, NO_TIMEOUT)).isTrue();
            assertThat(running.started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(executor.submit(new Recording(() -> "queued"), NO_TIMEOUT)).isTrue();
            assertThat(executor.submit(new Recording(() -> "dropped"), NO_TIMEOUT)).isFalse();
            release.countDown();
        }
    }

    @Test
    void underManySubmittersEveryAcceptedTaskEndsExactlyOnce() throws Exception {
        int submitters = 8;
        int tasksEach = 2_000;
        try (ShadowExecutor executor = new ShadowExecutor(4, 64)) {
            AtomicLong accepted = new AtomicLong();
            List<Recording> all = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(submitters);
            List<Future<List<Recording>>> futures = new ArrayList<>();
            for (int s = 0; s < submitters; s++) {
                futures.add(pool.submit(() -> {
                    List<Recording> mine = new ArrayList<>();
                    for (int i = 0; i < tasksEach; i++) {
                        // every 50th task sleeps past its 20 ms deadline
                        boolean slow = i % 50 == 0;
                        Recording task = new Recording(() -> {
                            if (slow) {
                                Thread.sleep(200);
                            }
                            return "ok";
                        });
                        if (executor.submit(task, TimeUnit.MILLISECONDS.toNanos(20))) {
                            accepted.incrementAndGet();
                            mine.add(task);
                        }
                    }
                    return mine;
                }));
            }
            for (Future<List<Recording>> f : futures) {
                all.addAll(f.get(60, TimeUnit.SECONDS));
            }
            pool.shutdown();

            for (Recording task : all) {
                assertThat(task.ended.await(30, TimeUnit.SECONDS)).isTrue();
            }
            Thread.sleep(300); // room for a wrong second ending to show up
            assertThat(all).hasSize((int) accepted.get()).isNotEmpty()
                    .allSatisfy(task -> assertThat(task.completed.get() + task.timedOut.get()).isEqualTo(1))
                    .anySatisfy(task -> assertThat(task.timedOut.get()).isEqualTo(1));
        }
    }

    @Test
    void aTaskSubmittedAfterTheDispatcherFellAsleepWakesItAndRuns() throws Exception {
        try (ShadowExecutor executor = new ShadowExecutor(1, 10)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (executor.dispatcherThread().getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(ShadowExecutor.WARM_MILLIS);
            }
            assertThat(executor.dispatcherThread().getState()).as("asleep with no work").isEqualTo(Thread.State.WAITING);

            Recording task = new Recording(() -> "ran");
            assertThat(executor.submit(task, NO_TIMEOUT)).isTrue();

            assertThat(task.ended.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(task.completed.get()).isEqualTo(1);
        }
    }

    @Test
    void closeStopsTheWorkersAndTheDispatcher() throws Exception {
        ShadowExecutor executor = new ShadowExecutor(2, 10);
        Recording hanging = new Recording(() -> {
            new CountDownLatch(1).await();
            return "never";
        });
        executor.submit(hanging, NO_TIMEOUT);
        assertThat(hanging.started.await(10, TimeUnit.SECONDS)).isTrue();

        executor.close();

        assertThat(hanging.interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.submit(new Recording(() -> "after close"), NO_TIMEOUT)).isFalse();
        executor.dispatcherThread().join(10_000);
        assertThat(executor.dispatcherThread().isAlive()).isFalse();
    }

    /** A task that ignores interrupts, as a blocked JDBC read may: it ends only when released. */
    private static Recording ignoringInterruptsUntil(AtomicBoolean release) {
        return new Recording(() -> {
            while (!release.get()) {
                Thread.onSpinWait();
            }
            return "late";
        });
    }

    /** A task that records how it ended. */
    private static final class Recording extends ShadowExecutor.Task {
        final Callable<Object> body;
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger timedOut = new AtomicInteger();

        Recording(Callable<Object> body) {
            this.body = body;
        }

        @Override
        protected Object call() throws Exception {
            started.countDown();
            try {
                return body.call();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }

        @Override
        protected void completed(Object result, Throwable error, long elapsedNanos) {
            completed.incrementAndGet();
            ended.countDown();
        }

        @Override
        protected void timedOut() {
            timedOut.incrementAndGet();
            ended.countDown();
        }
    }
}
