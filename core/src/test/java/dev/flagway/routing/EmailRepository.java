package dev.flagway.routing;

import dev.flagway.DualWrite;
import dev.flagway.FlagRouted;
import dev.flagway.RowKey;
import dev.flagway.TargetingKey;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The repository interface the proxy tests wrap. */
interface EmailRepository {
    @FlagRouted
    String email(@TargetingKey long id);

    @DualWrite
    void setEmail(@TargetingKey @RowKey long id, String email);

    @FlagRouted
    String checkedRead(@TargetingKey long id) throws IOException;

    /** Unannotated default methods run on the proxy, so the call inside is routed. */
    default String shout(long id) {
        return email(id).toUpperCase();
    }

    /** An in-memory implementation that counts its calls and can be told to fail. */
    final class InMemory implements EmailRepository {
        final Map<Long, String> rows = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();
        final AtomicBoolean failing = new AtomicBoolean();
        final String name;

        InMemory(String name) {
            this.name = name;
        }

        @Override
        public String email(long id) {
            reads.incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException(name + " read failed");
            }
            return rows.get(id);
        }

        @Override
        public void setEmail(long id, String email) {
            writes.incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException(name + " write failed");
            }
            rows.put(id, email);
        }

        @Override
        public String checkedRead(long id) throws IOException {
            reads.incrementAndGet();
            if (failing.get()) {
                throw new IOException(name + " checked read failed");
            }
            return rows.get(id);
        }
    }
}
