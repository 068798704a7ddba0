package dev.flagway.backfill;

import dev.flagway.internal.Connections;
import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.Checks;
import dev.flagway.internal.tables.TableDefinition;
import dev.flagway.internal.tables.TableSetup;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * The table of backfill checkpoints ({@value #DEFAULT_TABLE} by default), one row per migration,
 * created when missing. Times are stored in UTC.
 */
public final class CheckpointStore {
    /** The default table name. */
    public static final String DEFAULT_TABLE = Bookkeeping.CHECKPOINT_TABLE;

    private final DataSource dataSource;
    private final Bookkeeping.Checkpoints t;

    /** A store in {@code tableName} ({@code table} or {@code schema.table}) over {@code dataSource}. */
    public CheckpointStore(DataSource dataSource, String tableName) {
        this.dataSource = Checks.notNull("data source", dataSource);
        this.t = new Bookkeeping.Checkpoints(Bookkeeping.name("checkpoint table", tableName));
    }

    /** A store in {@value #DEFAULT_TABLE}. */
    public CheckpointStore(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    /** The checkpoint of a migration, or empty when its backfill never ran. */
    public Optional<Checkpoint> load(String migrationId) {
        return run(dsl -> load(dsl, migrationId));
    }

    /** Forgets a migration's checkpoint, so that the next run walks the whole table again. */
    public void reset(String migrationId) {
        run(dsl -> dsl.deleteFrom(t.table).where(t.migrationId.eq(migrationId)).execute());
    }

    TableDefinition definition() {
        return t.definition();
    }

    Optional<Checkpoint> load(DSLContext dsl, String migrationId) {
        return dsl.select(t.lastKey, t.rowsDone, t.rowsUpdated, t.state, t.updatedAt, t.finishedAt).from(t.table)
                .where(t.migrationId.eq(migrationId))
                .fetchOptional(r -> new Checkpoint(migrationId, r.value1(), r.value2(), r.value3(),
                        BackfillState.valueOf(r.value4()), r.value5().toInstant(ZoneOffset.UTC),
                        r.value6() == null ? null : r.value6().toInstant(ZoneOffset.UTC)));
    }

    /** Writes a checkpoint in the context's current transaction. */
    void save(DSLContext dsl, Checkpoint c) {
        LocalDateTime updated = utc(c.updatedAt());
        LocalDateTime finished = c.finishedAt() == null ? null : utc(c.finishedAt());
        dsl.insertInto(t.table, t.migrationId, t.lastKey, t.rowsDone, t.rowsUpdated, t.state, t.updatedAt, t.finishedAt)
                .values(c.migrationId(), c.lastKey(), c.rowsDone(), c.rowsUpdated(), c.state().name(), updated, finished)
                .onConflict(t.migrationId).doUpdate()
                .set(t.lastKey, c.lastKey())
                .set(t.rowsDone, c.rowsDone())
                .set(t.rowsUpdated, c.rowsUpdated())
                .set(t.state, c.state().name())
                .set(t.updatedAt, updated)
                .set(t.finishedAt, finished)
                .execute();
    }

    /**
     * Sets only the state of a stored checkpoint, keeping its place (which may be ahead of what the
     * run knows, when a commit's answer was lost); stores {@code fallback} in that state when there is none.
     */
    void saveState(DSLContext dsl, Checkpoint fallback, BackfillState state, Instant now) {
        int updated = dsl.update(t.table).set(t.state, state.name()).set(t.updatedAt, utc(now))
                .where(t.migrationId.eq(fallback.migrationId())).execute();
        if (updated == 0) {
            save(dsl, fallback.withState(state, now));
        }
    }

    private <T> T run(Function<DSLContext, T> work) {
        return Connections.withDsl(dataSource, "checkpoint table " + t.definition().displayName(), dsl -> {
            dsl.connection(c -> TableSetup.ensure(dataSource, c, true, List.of(t.definition())));
            return work.apply(dsl);
        });
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
