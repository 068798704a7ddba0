package dev.flagway.lifecycle;

import dev.flagway.routing.Flagway;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.breaker.WindowSnapshot;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.internal.RateLimitedLogger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Publishes this instance's health of every migration to the fleet health table, each interval, from
 * one daemon thread of its owner's scheduler: the current minute's row is upserted with what the
 * breaker and the fallback journal counted since the last row of the previous minute was written.
 * It reads only what the routed calls count already (the breaker's running totals and window, the
 * journal's fallback counts): publishing adds nothing to a call. A database outage is logged at
 * most once a minute and retried at the next interval; the counts are kept, never thrown at the
 * application. Not thread-safe: only its scheduler thread calls {@link #publish()}.
 */
final class FleetHealthPublisher {
    private static final RateLimitedLogger LOG = RateLimitedLogger.of(FleetHealthPublisher.class,
            TimeUnit.MINUTES.toNanos(1));

    private final Flagway flagway;
    private final FallbackJournal journal;
    private final FleetHealthTable table;
    private final String instanceId;
    private final Clock clock;
    private final Map<String, Counts> counts = new HashMap<>();

    FleetHealthPublisher(Flagway flagway, FallbackJournal journal, FleetHealthTable table, String instanceId,
                         Clock clock) {
        this.flagway = flagway;
        this.journal = journal;
        this.table = table;
        this.instanceId = instanceId;
        this.clock = clock;
        for (MigrationRuntime runtime : flagway.migrations()) {
            Totals now = totals(runtime);
            counts.put(runtime.migration().id(), new Counts(now));
        }
    }

    /** Upserts the current minute's row of every migration; a failure is logged and retried next time. */
    void publish() {
        Instant now = clock.instant();
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        for (MigrationRuntime runtime : flagway.migrations()) {
            String id = runtime.migration().id();
            Counts c = counts.get(id);
            Totals totals = totals(runtime);
            if (!minute.equals(c.minute)) {
                c.base = c.published; // what was not published in the previous minute counts in this one
                c.minute = minute;
            }
            CircuitBreaker breaker = runtime.breaker();
            WindowSnapshot window = breaker.snapshot();
            boolean enough = window.calls() >= breaker.config().minimumCalls();
            Double modern = enough ? millis(window.modernP95()) : null;
            Double legacy = enough && !window.legacyP95().isZero() ? millis(window.legacyP95()) : null;
            try {
                table.upsert(new FleetHealthTable.Row(id, instanceId, minute, totals.calls - c.base.calls,
                        totals.errors - c.base.errors, totals.fallbacks - c.base.fallbacks,
                        totals.comparisons - c.base.comparisons, totals.mismatches - c.base.mismatches, modern, legacy,
                        breaker.state().name().toLowerCase(Locale.ROOT), now));
                c.published = totals;
            } catch (RuntimeException e) {
                LOG.warn("Could not publish the health of migration '{}' to fleet health table {}; retrying every "
                        + "interval: {}", id, table.tableName(), e.toString());
            }
        }
    }

    private Totals totals(MigrationRuntime runtime) {
        CircuitBreaker.Totals b = runtime.breaker().totals();
        return new Totals(b.calls(), b.failures(), journal.fallbacksCounted(runtime.migration().id()), b.comparisons(),
                b.mismatches());
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1_000_000.0;
    }

    /** Running totals of one migration on this instance. */
    private record Totals(long calls, long errors, long fallbacks, long comparisons, long mismatches) {
    }

    /** Per migration: the minute being published, the totals at its start and at the last row written. */
    private static final class Counts {
        private Instant minute;
        private Totals base;
        private Totals published;

        Counts(Totals start) {
            this.base = start;
            this.published = start;
        }
    }
}
