package dev.flagway.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * Simulated users: threads making requests at a steady total rate through a {@link UserRepository}
 * for as long as the traffic runs, 80% reads, 15% address changes and 5% sign-ups. Requests arrive on
 * schedule whether or not the previous one has finished: one that finds no thread free within the
 * request deadline fails, as behind a load balancer. Each thread owns
 * its own users (ids that are equal modulo the thread count), so the {@link Ledger} knows exactly what
 * every user must read back; a read that returns anything else counts as {@link Outcome#WRONG}.
 */
@SuppressWarnings("try") // close() waits for the requests in flight, so it may be interrupted
final class Traffic implements AutoCloseable {
    private static final long DEADLINE_NANOS = DemoDatabase.REQUEST_DEADLINE.toNanos();
    private static final String DEADLINE_TEXT = Formats.duration(DemoDatabase.REQUEST_DEADLINE);

    private final UserRepository users;
    private final RequestGate gate;
    private final Ledger ledger;
    private final RunRecorder recorder;
    private final int seededUsers;
    private final int threadCount;
    private final long intervalNanos;
    private final List<Thread> threads = new ArrayList<>();
    /** Per thread, when its request in flight started (System.nanoTime()), or 0 between requests. */
    private final AtomicLongArray inFlightSince;
    /** Per thread, when its next request arrives (System.nanoTime()). */
    private final AtomicLongArray nextArrival;
    private final ScheduledExecutorService sweeper;
    private volatile boolean running = true;

    /** Starts {@code threads} threads sharing {@code rate} requests per second, each request through {@code gate}. */
    Traffic(UserRepository users, RequestGate gate, Ledger ledger, RunRecorder recorder, int seededUsers, int threads,
            int rate) {
        this.users = users;
        this.gate = gate;
        this.ledger = ledger;
        this.recorder = recorder;
        this.seededUsers = seededUsers;
        this.threadCount = threads;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) * threads / rate;
        this.inFlightSince = new AtomicLongArray(threads);
        this.nextArrival = new AtomicLongArray(threads);
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            nextArrival.set(t, start + t * intervalNanos / threads);
        }
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> run(thread), "demo-traffic-" + t);
            worker.setDaemon(true);
            this.threads.add(worker);
            worker.start();
        }
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-traffic-deadline");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(() -> IntStream.range(0, threads).forEach(this::expireLateArrivals),
                50, 50, TimeUnit.MILLISECONDS);
    }

    /** Stops the traffic and waits for the requests in flight. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread worker : threads) {
            worker.join();
        }
        sweeper.shutdownNow();
    }

    /** Waits until no request that started before {@code nanoTime} is still running. */
    void awaitRequestsStartedBefore(long nanoTime) throws InterruptedException {
        for (int t = 0; t < threadCount; t++) {
            long since;
            while ((since = inFlightSince.get(t)) != 0 && since - nanoTime < 0) {
                Thread.sleep(1);
            }
        }
    }

    private void run(int thread) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int owned = (seededUsers - thread + threadCount - 1) / threadCount;
        int signedUp = 0;
        while (running) {
            expireLateArrivals(thread);
            long arrival = nextArrival.getAndAdd(thread, intervalNanos);
            long wait = arrival - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int pick = random.nextInt(owned + signedUp);
            long id = pick < owned ? (long) pick * threadCount + thread + 1
                    : seededUsers + (long) (pick - owned) * threadCount + thread + 1;
            inFlightSince.set(thread, System.nanoTime());
            int dice = random.nextInt(100);
            if (dice < 5) {
                write(seededUsers + (long) signedUp * threadCount + thread + 1, true, random);
                signedUp++; // a failed sign-up still uses up its id: it may have committed
            } else if (dice < 20) {
                write(id, false, random);
            } else {
                read(id);
            }
            inFlightSince.set(thread, 0);
        }
    }

    /**
     * Fails the requests due on {@code thread} that have waited longer than the deadline. Called by
     * the thread before it takes its next request, and every 50 ms by the sweeper while it is stuck,
     * so that a timeout counts when it happens.
     */
    private void expireLateArrivals(int thread) {
        long now = System.nanoTime();
        long arrival;
        while (now - (arrival = nextArrival.get(thread)) > DEADLINE_NANOS) {
            if (nextArrival.compareAndSet(thread, arrival, arrival + intervalNanos)) {
                recorder.recordFailure(DEADLINE_NANOS, "no worker free within the " + DEADLINE_TEXT
                        + " deadline (the request before it was stuck)");
            }
        }
    }

    private void read(long id) {
        String expected = ledger.expected(id);
        long start = System.nanoTime();
        String answer;
        try {
            answer = gate.request(() -> users.email(id));
        } catch (RuntimeException e) {
            recorder.recordFailure(System.nanoTime() - start, e);
            return;
        }
        recorder.record(System.nanoTime() - start, expected == null || expected.equals(answer) ? Outcome.OK : Outcome.WRONG);
    }

    private void write(long id, boolean signUp, ThreadLocalRandom random) {
        String email = " User" + id + "." + random.nextInt(1_000_000) + "@Example.COM ";
        long start = System.nanoTime();
        try {
            gate.request(() -> {
                if (signUp) {
                    users.create(id, email);
                } else {
                    users.updateEmail(id, email);
                }
                return null;
            });
        } catch (RuntimeException e) {
            recorder.recordFailure(System.nanoTime() - start, e);
            ledger.failed(id);
            return;
        }
        recorder.record(System.nanoTime() - start, Outcome.OK);
        ledger.acknowledged(id, email);
    }
}
