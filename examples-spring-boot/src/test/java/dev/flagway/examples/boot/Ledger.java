package dev.flagway.examples.boot;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every write the application acknowledged, and so what each user must read back. Each user is
 * written by one traffic thread only, so the last acknowledged write is exact; a failed write leaves
 * its user uncertain until the next acknowledged one.
 */
final class Ledger {
    private final Map<Long, String> lastWrite = new ConcurrentHashMap<>();
    private final Set<Long> uncertain = ConcurrentHashMap.newKeySet();
    private final AtomicLong acknowledged = new AtomicLong();

    /** The address user {@code id} signed up with, untidy as typed. */
    static String signUpEmail(long id) {
        return " User" + id + "@Example.COM ";
    }

    void acknowledged(long id, String email) {
        lastWrite.put(id, Emails.normalize(email));
        uncertain.remove(id);
        acknowledged.incrementAndGet();
    }

    void failed(long id) {
        uncertain.add(id);
    }

    /** What user {@code id} must read, or null when a failed write left it unknown. */
    String expected(long id) {
        return uncertain.contains(id) ? null : lastWrite.getOrDefault(id, Emails.normalize(signUpEmail(id)));
    }

    long acknowledgedWrites() {
        return acknowledged.get();
    }
}
