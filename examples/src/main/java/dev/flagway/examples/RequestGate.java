package dev.flagway.examples;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Holds requests back while H2 changes the table. H2 has no online DDL: its ALTER TABLE rebuilds the
 * table, and statements running meanwhile fail ("table not found") or, worse, commit into the old
 * copy and are lost. On H2 the demo therefore lets each DDL statement run alone, for the few
 * milliseconds it takes; PostgreSQL and MySQL/MariaDB need no such gate and get none.
 */
final class RequestGate {
    private final boolean enabled;
    private final ReadWriteLock lock = new ReentrantReadWriteLock(true);

    private RequestGate(boolean enabled) {
        this.enabled = enabled;
    }

    /** A gate for {@code kind}: closing only on H2. */
    static RequestGate forDatabase(DemoDatabase.Kind kind) {
        return new RequestGate(kind == DemoDatabase.Kind.H2);
    }

    /** A gate that never closes. */
    static RequestGate open() {
        return new RequestGate(false);
    }

    /** Runs one request, unless a DDL statement is running alone. */
    <T> T request(Supplier<T> request) {
        if (!enabled) {
            return request.get();
        }
        lock.readLock().lock();
        try {
            return request.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs a DDL statement with requests held back (on H2), or alongside them. */
    <T> T alone(Callable<T> ddl) throws Exception {
        if (!enabled) {
            return ddl.call();
        }
        lock.writeLock().lock();
        try {
            return ddl.call();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
