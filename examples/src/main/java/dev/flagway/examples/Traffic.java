package dev.flagway.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Simulated users: threads making requests at a steady total rate through a {@link UserRepository}
 * for as long as the traffic runs, 80% reads, 15% address changes and 5% sign-ups. Each thread owns
 * its own users (ids that are equal modulo the thread count), so the {@link Ledger} knows exactly what
 * every user must read back; a read that returns anything else counts as {@link Outcome#WRONG}.
 */
final class Traffic implements AutoCloseable {
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
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> run(thread), "demo-traffic-" + t);
            worker.setDaemon(true);
            this.threads.add(worker);
            worker.start();
        }
    }

    /** Stops the traffic and waits for the requests in flight. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread worker : threads) {
            worker.join();
        }
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
        long next = System.nanoTime();
        while (running) {
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
            next += intervalNanos;
            long now = System.nanoTime();
            if (next > now) {
                LockSupport.parkNanos(next - now);
            } else if (now - next > 10 * intervalNanos) {
                next = now; // after a stall, carry on at the normal rate instead of bursting
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
