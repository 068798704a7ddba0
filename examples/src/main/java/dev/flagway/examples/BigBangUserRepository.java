package dev.flagway.examples;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The naive application's repository: version 1 uses the legacy column only; deploying version 2
 * switches every read to the new column at once and writes both columns, one after the other, with
 * no transaction around them, no fallback and no breaker.
 */
final class BigBangUserRepository implements UserRepository, RoutingCounters {
    private final UserRepository legacy;
    private final UserRepository modern;
    private final AtomicLong modernReads = new AtomicLong();
    private final AtomicLong legacyReads = new AtomicLong();
    private final AtomicLong modernFailures = new AtomicLong();
    private volatile boolean version2;

    BigBangUserRepository(UserRepository legacy, UserRepository modern) {
        this.legacy = legacy;
        this.modern = modern;
    }

    /** Deploys version 2 to every instance at once. */
    void deployVersion2() {
        version2 = true;
    }

    @Override
    public String email(long id) {
        if (!version2) {
            String email = legacy.email(id);
            legacyReads.incrementAndGet();
            return email;
        }
        String email = onModern(() -> modern.email(id));
        modernReads.incrementAndGet();
        return email;
    }

    @Override
    public void updateEmail(long id, String email) {
        legacy.updateEmail(id, email);
        if (version2) {
            onModern(() -> {
                modern.updateEmail(id, email);
                return null;
            });
        }
    }

    @Override
    public void create(long id, String email) {
        legacy.create(id, email);
        if (version2) {
            onModern(() -> {
                modern.create(id, email);
                return null;
            });
        }
    }

    private <T> T onModern(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            modernFailures.incrementAndGet();
            throw e;
        }
    }

    @Override
    public long modernReads() {
        return modernReads.get();
    }

    @Override
    public long legacyReads() {
        return legacyReads.get();
    }

    @Override
    public long modernFailures() {
        return modernFailures.get();
    }

    @Override
    public long fallbacks() {
        return 0;
    }

    @Override
    public long shadowMismatches() {
        return 0;
    }
}
