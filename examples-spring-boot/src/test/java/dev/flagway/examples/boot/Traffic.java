package dev.flagway.examples.boot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Users of the application over HTTP on the loopback interface: {@code threads} threads, each owning
 * the users whose id modulo {@code threads} is its number, reading their address (four times in five)
 * and changing it, at most one request per {@code pause} per thread. Every answer is checked against
 * the {@link Ledger}. Stops when told, or by itself after {@code limit}.
 */
final class Traffic implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final int users;
    private final int threadCount;
    private final Duration pause;
    private final long deadline;
    private final Ledger ledger = new Ledger();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong wrongAnswers = new AtomicLong();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    /** Per thread: when its request in flight was sent ({@link System#nanoTime}), or {@link #IDLE}. */
    private final AtomicLongArray inFlightSince;
    private static final long IDLE = Long.MAX_VALUE;
    private volatile boolean running = true;

    Traffic(int port, int users, int threadCount, Duration pause, Duration limit) {
        this.base = "http://127.0.0.1:" + port + "/users/";
        this.users = users;
        this.threadCount = threadCount;
        this.pause = pause;
        this.inFlightSince = new AtomicLongArray(threadCount);
        for (int t = 0; t < threadCount; t++) {
            inFlightSince.set(t, IDLE);
        }
        this.deadline = System.nanoTime() + limit.toNanos();
    }

    Traffic start() {
        for (int t = 0; t < threadCount; t++) {
            int number = t;
            Thread thread = new Thread(() -> run(number), "traffic-" + t);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    private void run(int number) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long version = 0;
        while (running && System.nanoTime() < deadline) {
            long id = number + threadCount * (long) random.nextInt(users / threadCount) + 1;
            if (id > users) {
                continue;
            }
            try {
                inFlightSince.set(number, System.nanoTime());
                try {
                    if (random.nextInt(5) == 0) {
                        write(id, " User" + id + ".v" + (++version) + "@Example.COM ");
                    } else {
                        read(id);
                    }
                } finally {
                    inFlightSince.set(number, IDLE);
                }
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void read(long id) throws InterruptedException {
        String expected = ledger.expected(id);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + id + "/email")).GET().build());
        if (response == null) {
            return;
        }
        reads.incrementAndGet();
        if (response.statusCode() != 200) {
            fail("GET user " + id + ": HTTP " + response.statusCode() + " " + response.body());
        } else if (expected != null && !expected.equals(response.body())) {
            wrongAnswers.incrementAndGet();
            problems.add("GET user " + id + ": expected " + expected + ", got " + response.body());
        }
    }

    private void write(long id, String email) throws InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + id + "/email"))
                .PUT(HttpRequest.BodyPublishers.ofString(email)).header("Content-Type", "text/plain").build());
        if (response != null && response.statusCode() == 204) {
            ledger.acknowledged(id, email);
            return;
        }
        ledger.failed(id);
        if (response != null) {
            fail("PUT user " + id + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            fail(request.method() + " " + request.uri() + ": " + e);
            return null;
        }
    }

    private void fail(String problem) {
        failures.incrementAndGet();
        problems.add(problem);
    }

    Ledger ledger() {
        return ledger;
    }

    long reads() {
        return reads.get();
    }

    long failures() {
        return failures.get();
    }

    long wrongAnswers() {
        return wrongAnswers.get();
    }

    /** The first problems seen, for the assertion message. */
    List<String> problems() {
        return problems.stream().limit(10).toList();
    }

    /**
     * Waits until every request sent before {@code nanoTime} has been answered: the operator's "the old
     * release has drained" before a step that relies on every write of the new stage, such as the backfill
     * after dual writes start (a write routed by the old stage could otherwise commit after its row was
     * backfilled, however long the operator waited, when the machine stalls the request).
     */
    void awaitRequestsSentBefore(long nanoTime) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int t = 0; t < threadCount; t++) {
            while (inFlightSince.get(t) < nanoTime) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a request of traffic thread " + t + " is still unanswered after 30 s");
                }
                Thread.sleep(5);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(10).toMillis());
        }
    }
}
