package dev.flagway.backfill;

import dev.flagway.dialect.Connections;
import dev.flagway.internal.Checks;
import dev.flagway.internal.Identifiers;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The table of backfill checkpoints ({@value #DEFAULT_TABLE} by default), one row per migration,
 * created idempotently. Times are stored in UTC.
 */
public final class CheckpointStore {
    /** The default table name. */
    public static final String DEFAULT_TABLE = "flagway_backfill";

    private final DataSource dataSource;
    private final Table<?> table;
    // Columns are qualified by the table: PostgreSQL's ON CONFLICT DO UPDATE and H2's MERGE find bare ones ambiguous.
    private final Field<String> migration;
    private final Field<String> lastKey;
    private final Field<Long> rowsDone;
    private final Field<Long> rowsUpdated;
    private final Field<String> state;
    private final Field<LocalDateTime> updatedAt;
    private final Field<LocalDateTime> finishedAt;

    /** A store in {@code tableName} ({@code table} or {@code schema.table}) over {@code dataSource}. */
    public CheckpointStore(DataSource dataSource, String tableName) {
        this.dataSource = Checks.notNull("data source", dataSource);
        this.table = DSL.table(DSL.name(Identifiers.requireTableName("checkpoint table", tableName)));
        this.migration = DSL.field(table.getQualifiedName().append("migration_id"), SQLDataType.VARCHAR(100).notNull());
        this.lastKey = DSL.field(table.getQualifiedName().append("last_key"), SQLDataType.VARCHAR(255));
        this.rowsDone = DSL.field(table.getQualifiedName().append("rows_done"), SQLDataType.BIGINT.notNull());
        this.rowsUpdated = DSL.field(table.getQualifiedName().append("rows_updated"), SQLDataType.BIGINT.notNull());
        this.state = DSL.field(table.getQualifiedName().append("state"), SQLDataType.VARCHAR(20).notNull());
        this.updatedAt = DSL.field(table.getQualifiedName().append("updated_at"), SQLDataType.LOCALDATETIME.notNull());
        this.finishedAt = DSL.field(table.getQualifiedName().append("finished_at"), SQLDataType.LOCALDATETIME);
    }

    /** A store in {@value #DEFAULT_TABLE}. */
    public CheckpointStore(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    /** The checkpoint of a migration, or empty when its backfill never ran. */
    public Optional<Checkpoint> load(String migrationId) {
        return Connections.withDsl(dataSource, "checkpoint table " + table.getName(), dsl -> {
            createIfMissing(dsl);
            return load(dsl, migrationId);
        });
    }

    /** Forgets a migration's checkpoint, so that the next run walks the whole table again. */
    public void reset(String migrationId) {
        Connections.withDsl(dataSource, "checkpoint table " + table.getName(), dsl -> {
            createIfMissing(dsl);
            return dsl.deleteFrom(table).where(migration.eq(migrationId)).execute();
        });
    }

    void createIfMissing(DSLContext dsl) {
        dsl.createTableIfNotExists(table)
                .columns(migration, lastKey, rowsDone, rowsUpdated, state, updatedAt, finishedAt)
                .primaryKey(migration)
                .execute();
    }

    Optional<Checkpoint> load(DSLContext dsl, String migrationId) {
        return dsl.select(lastKey, rowsDone, rowsUpdated, state, updatedAt, finishedAt).from(table)
                .where(migration.eq(migrationId))
                .fetchOptional(r -> new Checkpoint(migrationId, r.value1(), r.value2(), r.value3(),
                        BackfillState.valueOf(r.value4()), r.value5().toInstant(ZoneOffset.UTC),
                        r.value6() == null ? null : r.value6().toInstant(ZoneOffset.UTC)));
    }

    /** Writes a checkpoint in the context's current transaction. */
    void save(DSLContext dsl, Checkpoint c) {
        LocalDateTime updated = LocalDateTime.ofInstant(c.updatedAt(), ZoneOffset.UTC);
        LocalDateTime finished = c.finishedAt() == null ? null : LocalDateTime.ofInstant(c.finishedAt(), ZoneOffset.UTC);
        dsl.insertInto(table, migration, lastKey, rowsDone, rowsUpdated, state, updatedAt, finishedAt)
                .values(c.migrationId(), c.lastKey(), c.rowsDone(), c.rowsUpdated(), c.state().name(), updated, finished)
                .onConflict(migration).doUpdate()
                .set(lastKey, c.lastKey())
                .set(rowsDone, c.rowsDone())
                .set(rowsUpdated, c.rowsUpdated())
                .set(state, c.state().name())
                .set(updatedAt, updated)
                .set(finishedAt, finished)
                .execute();
    }
}
