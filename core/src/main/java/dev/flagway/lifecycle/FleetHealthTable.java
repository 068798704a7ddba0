package dev.flagway.lifecycle;

import dev.flagway.internal.Connections;
import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.tables.TableSetup;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The fleet health table: each instance's per-minute health of each migration, one row per
 * (migration, instance, minute), written by {@link FleetHealthPublisher} and read by the rollout
 * controller and the status.
 */
final class FleetHealthTable {
    private final DataSource dataSource;
    private final boolean createTables;
    private final Bookkeeping.FleetHealth t;

    FleetHealthTable(DataSource dataSource, String tableName, boolean createTables) {
        this.dataSource = dataSource;
        this.createTables = createTables;
        this.t = new Bookkeeping.FleetHealth(Bookkeeping.name("fleet health table", tableName));
    }

    String tableName() {
        return t.definition().displayName();
    }

    /** One row's values. */
    record Row(String migrationId, String instanceId, Instant minute, long calls, long errors, long fallbacks,
               long comparisons, long mismatches, Double modernP95Millis, Double legacyP95Millis, String breakerState,
               Instant updatedAt) {
    }

    /** Writes {@code row}, replacing the figures of its (migration, instance, minute). */
    void upsert(Row row) {
        LocalDateTime minute = utc(row.minute().truncatedTo(ChronoUnit.MINUTES));
        LocalDateTime at = utc(row.updatedAt().truncatedTo(ChronoUnit.MILLIS));
        run(dsl -> dsl.insertInto(t.table, t.migrationId, t.instance, t.minute, t.calls, t.errors, t.fallbacks,
                        t.comparisons, t.mismatches, t.modernP95, t.legacyP95, t.breakerState, t.updatedAt)
                .values(row.migrationId(), row.instanceId(), minute, row.calls(), row.errors(), row.fallbacks(),
                        row.comparisons(), row.mismatches(), row.modernP95Millis(), row.legacyP95Millis(),
                        row.breakerState(), at)
                .onConflict(t.migrationId, t.instance, t.minute).doUpdate()
                .set(t.calls, row.calls()).set(t.errors, row.errors()).set(t.fallbacks, row.fallbacks())
                .set(t.comparisons, row.comparisons()).set(t.mismatches, row.mismatches())
                .set(t.modernP95, row.modernP95Millis()).set(t.legacyP95, row.legacyP95Millis())
                .set(t.breakerState, row.breakerState()).set(t.updatedAt, at).execute());
    }

    /**
     * Each instance's health of {@code migrationId} from the minute containing {@code since} on, in
     * the order the instances first published.
     */
    List<InstanceHealth> since(String migrationId, Instant since) {
        LocalDateTime from = utc(since.truncatedTo(ChronoUnit.MINUTES));
        List<Record> rows = run(dsl -> dsl.select(t.instance, t.calls, t.errors, t.fallbacks, t.comparisons,
                        t.mismatches, t.modernP95, t.legacyP95, t.breakerState, t.updatedAt).from(t.table)
                .where(t.migrationId.eq(migrationId)).and(t.minute.ge(from))
                .orderBy(t.minute, t.instance).fetch().stream().map(r -> (Record) r).toList());
        Map<String, InstanceHealth> byInstance = new LinkedHashMap<>();
        for (Record r : rows) {
            InstanceHealth row = new InstanceHealth(r.get(t.instance), r.get(t.calls), r.get(t.errors),
                    r.get(t.fallbacks), r.get(t.comparisons), r.get(t.mismatches), r.get(t.modernP95),
                    r.get(t.legacyP95), r.get(t.breakerState), r.get(t.updatedAt).toInstant(ZoneOffset.UTC));
            byInstance.merge(row.instanceId(), row, FleetHealthTable::combine);
        }
        return new ArrayList<>(byInstance.values());
    }

    /**
     * {@code earlier} and {@code later} summed; the latencies of the row with the higher modern p95, the
     * breaker state and time of the later.
     */
    private static InstanceHealth combine(InstanceHealth earlier, InstanceHealth later) {
        InstanceHealth slower = later.modernP95Millis() != null && (earlier.modernP95Millis() == null
                || later.modernP95Millis() >= earlier.modernP95Millis()) ? later : earlier;
        return new InstanceHealth(later.instanceId(), earlier.calls() + later.calls(),
                earlier.errors() + later.errors(), earlier.fallbacks() + later.fallbacks(),
                earlier.comparisons() + later.comparisons(), earlier.mismatches() + later.mismatches(),
                slower.modernP95Millis(), slower.legacyP95Millis(), later.breakerState(), later.updatedAt());
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private <T> T run(Function<DSLContext, T> work) {
        return Connections.withDsl(dataSource, "fleet health table " + tableName(), dsl -> {
            dsl.connection(c -> TableSetup.ensure(dataSource, c, createTables, List.of(t.definition())));
            return work.apply(dsl);
        });
    }
}
