package dev.flagway.contract;

import dev.flagway.FallbackListener;
import dev.flagway.internal.Connections;
import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.Checks;
import dev.flagway.internal.Identifiers;
import dev.flagway.internal.tables.TableSetup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts modern-read fallbacks per migration for the contract gate. {@link #onFallback} is a
 * lock-free, allocation-free counter increment fit for the read path; the counts are flushed
 * periodically (and on {@link #close()}) into a table of per-minute counts shared by the fleet,
 * created when missing. A flush attributes its counts to the minute it runs in, so a fallback may be
 * dated up to one flush interval late, never early.
 */
public final class FallbackJournal implements FallbackListener, AutoCloseable {
    /** The default table name. */
    public static final String DEFAULT_TABLE = Bookkeeping.FALLBACK_TABLE;

    private static final Logger LOG = LoggerFactory.getLogger(FallbackJournal.class);

    private final DataSource dataSource;
    private final Clock clock;
    private final Bookkeeping.Fallbacks t;
    private final Map<String, LongAdder> pending = new ConcurrentHashMap<>();
    /** Per migration, the counts this instance flushed; guarded by {@code this}. */
    private final Map<String, Long> flushedHere = new java.util.HashMap<>();
    private final ScheduledExecutorService flusher;

    private FallbackJournal(DataSource dataSource, String tableName, Duration flushInterval, Clock clock) {
        this.dataSource = Checks.notNull("data source", dataSource);
        this.clock = Checks.notNull("clock", clock);
        this.t = new Bookkeeping.Fallbacks(Bookkeeping.name("fallback table", tableName));
        Checks.positive("fallback flush-interval", flushInterval);
        run(dsl -> null); // sets the table up now, so that a start-up without it fails at once
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flagway-fallback-journal");
            t.setDaemon(true);
            return t;
        });
        long millis = flushInterval.toMillis();
        flusher.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a journal over {@code dataSource}, creating its table when missing.
     *
     * @param tableName the table ({@code table} or {@code schema.table}), e.g. {@link #DEFAULT_TABLE}
     * @param flushInterval how often counts are written, e.g. 10 s
     */
    public static FallbackJournal start(DataSource dataSource, String tableName, Duration flushInterval, Clock clock) {
        return new FallbackJournal(dataSource, tableName, flushInterval, clock);
    }

    /** Starts a journal in {@link #DEFAULT_TABLE}, flushing every 10 seconds. */
    public static FallbackJournal start(DataSource dataSource) {
        return start(dataSource, DEFAULT_TABLE, Duration.ofSeconds(10), Clock.systemUTC());
    }

    /** Counts one fallback of {@code migrationId}; cheap enough for every read. */
    @Override
    public void onFallback(String migrationId) {
        LongAdder adder = pending.get(migrationId);
        if (adder == null) {
            adder = pending.computeIfAbsent(Identifiers.requireMigrationId(migrationId), id -> new LongAdder());
        }
        adder.increment();
    }

    /**
     * Writes the counts gathered so far.
     *
     * @throws IllegalStateException when the table cannot be written; the counts are kept for the next flush
     */
    public synchronized void flush() {
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC);
        for (Map.Entry<String, LongAdder> e : pending.entrySet()) {
            long n = e.getValue().sumThenReset();
            if (n == 0) {
                continue;
            }
            try {
                run(dsl -> dsl.insertInto(t.table, t.migrationId, t.minute, t.count).values(e.getKey(), now, n)
                        .onConflict(t.migrationId, t.minute).doUpdate().set(t.count, t.count.plus(n)).execute());
            } catch (RuntimeException ex) {
                e.getValue().add(n);
                throw ex;
            }
            flushedHere.merge(e.getKey(), n, Long::sum);
        }
    }

    /**
     * How many fallbacks of {@code migrationId} this instance has counted since it started, flushed or
     * not; read by the fleet health publisher, never on the callers' path.
     */
    public synchronized long fallbacksCounted(String migrationId) {
        LongAdder unflushed = pending.get(migrationId);
        return flushedHere.getOrDefault(migrationId, 0L) + (unflushed == null ? 0 : unflushed.sum());
    }

    /**
     * How many fallbacks of {@code migrationId} were recorded since {@code since}: the flushed counts
     * from the minute containing {@code since} on (so a fallback in that minute counts even if just
     * before), plus this instance's counts not yet flushed.
     */
    public long fallbacksSince(String migrationId, Instant since) {
        LocalDateTime from = LocalDateTime.ofInstant(since.truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC);
        Long flushed = run(dsl -> dsl.select(DSL.sum(t.count).cast(Long.class)).from(t.table)
                .where(t.migrationId.eq(migrationId)).and(t.minute.ge(from)).fetchOne(0, Long.class));
        LongAdder unflushed = pending.get(migrationId);
        return (flushed == null ? 0 : flushed) + (unflushed == null ? 0 : unflushed.sum());
    }

    /** Stops the periodic flush and flushes what is left. */
    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Could not flush fallback counts to {} (kept for the next flush): {}", t.definition().displayName(),
                    e.getMessage());
        }
    }

    /** Runs work on a connection of its own, the table set up first (once per process). */
    private <T> T run(java.util.function.Function<DSLContext, T> work) {
        return Connections.withDsl(dataSource, "fallback table " + t.definition().displayName(), dsl -> {
            dsl.connection(c -> TableSetup.ensure(dataSource, c, true, List.of(t.definition())));
            return work.apply(dsl);
        });
    }
}
