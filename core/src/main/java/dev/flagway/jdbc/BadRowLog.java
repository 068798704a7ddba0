package dev.flagway.jdbc;

import dev.flagway.internal.ServerDialect;
import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.Failures;
import dev.flagway.internal.Identifiers;
import dev.flagway.internal.tables.TableSetup;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The table of rows the backfill could not migrate: the migration's transform threw on the legacy
 * value, or the new column refused the derived value. Written by a backfill whose
 * {@linkplain dev.flagway.backfill.TransformFailurePolicy transform-failure policy} is
 * {@code SKIP_AND_RECORD}, in the batch's transaction, with the key, the legacy value (as text) and
 * the error. Until a row is {@linkplain #markResolved resolved}, every instance reads its targeting
 * key (the row key's text) from the legacy column, and the contract gate refuses to drop that column.
 * One row per (migration, key).
 */
public final class BadRowLog {
    /** The default table name. */
    public static final String DEFAULT_TABLE = Bookkeeping.BAD_ROW_TABLE;

    private final String tableName;
    private final Bookkeeping.BadRows t;

    private BadRowLog(String tableName) {
        this.t = new Bookkeeping.BadRows(Bookkeeping.name("bad-row table", tableName));
        this.tableName = tableName;
    }

    /** The log in {@link #DEFAULT_TABLE}. */
    public static BadRowLog ofDefaults() {
        return named(DEFAULT_TABLE);
    }

    /** The log in a table of another name ({@code table} or {@code schema.table}, plain identifiers). */
    public static BadRowLog named(String tableName) {
        return new BadRowLog(tableName);
    }

    /** The table's name as configured. */
    public String tableName() {
        return tableName;
    }

    /** Creates the table if it does not exist (safe to call from every instance at start-up). */
    public void createIfMissing(Connection connection) {
        TableSetup.create(connection, true, t.definition());
    }

    /**
     * Records a row that could not be migrated, in the connection's current transaction; a row
     * recorded before (even resolved) is recorded again, unresolved, with the new value and error.
     *
     * @param legacyValue the legacy value, kept as text (cut to 1,000 characters)
     */
    public void record(Connection connection, String migration, String rowKey, Object legacyValue, Throwable error) {
        Identifiers.requireKeyLength("row key of migration '" + migration + "'", rowKey, Bookkeeping.KEY_LENGTH);
        String value = legacyValue == null ? null : cut(String.valueOf(legacyValue));
        String message = Failures.describe(error, Bookkeeping.ERROR_LENGTH);
        Timestamp now = Timestamp.from(Instant.now());
        using(connection).insertInto(t.table, t.migrationId, t.rowKey, t.legacyValue, t.error, t.recordedAt)
                .values(migration, rowKey, value, message, now)
                .onConflict(t.migrationId, t.rowKey)
                .doUpdate()
                .set(t.legacyValue, value)
                .set(t.error, message)
                .set(t.recordedAt, now)
                .setNull(t.resolvedAt)
                .setNull(t.resolvedBy)
                .execute();
    }

    /** Up to {@code limit} unresolved rows of a migration, oldest first. */
    public List<Entry> unresolved(Connection connection, String migration, int limit) {
        return using(connection).select(t.rowKey, t.legacyValue, t.error, t.recordedAt)
                .from(t.table)
                .where(t.migrationId.eq(migration)).and(t.resolvedAt.isNull())
                .orderBy(t.recordedAt, t.rowKey)
                .limit(limit)
                .fetch(r -> new Entry(migration, r.value1(), r.value2(), r.value3(), r.value4().toInstant()));
    }

    /** How many rows of a migration are unresolved. */
    public long unresolvedCount(Connection connection, String migration) {
        return using(connection).fetchCount(t.table, t.migrationId.eq(migration).and(t.resolvedAt.isNull()));
    }

    /** The keys of up to {@code limit} unresolved rows of a migration: reads take them from the legacy column. */
    public List<String> unresolvedKeys(Connection connection, String migration, int limit) {
        return using(connection).select(t.rowKey).from(t.table)
                .where(t.migrationId.eq(migration)).and(t.resolvedAt.isNull())
                .limit(limit)
                .fetch(t.rowKey);
    }

    /**
     * Marks a row resolved, in the connection's current transaction: the row is no longer pinned to
     * the legacy column and no longer holds the contract back. Use
     * {@link dev.flagway.backfill.Backfill#resolveBadRow} to re-derive the row first.
     *
     * @return whether an unresolved row of that key existed
     */
    public boolean markResolved(Connection connection, String migration, String rowKey, String actor) {
        return using(connection).update(t.table)
                .set(t.resolvedAt, Timestamp.from(Instant.now()))
                .set(t.resolvedBy, Identifiers.abbreviate(actor))
                .where(t.migrationId.eq(migration)).and(t.rowKey.eq(rowKey)).and(t.resolvedAt.isNull())
                .execute() > 0;
    }

    private static String cut(String text) {
        return text.length() <= Bookkeeping.ERROR_LENGTH ? text : text.substring(0, Bookkeeping.ERROR_LENGTH);
    }

    private static DSLContext using(Connection connection) {
        return ServerDialect.using(connection);
    }

    /**
     * One unresolved row.
     *
     * @param migrationId the migration
     * @param rowKey the row's key, as text
     * @param legacyValue the legacy value when it was recorded, as text (null for SQL NULL)
     * @param error why it could not be migrated
     * @param recordedAt when it was recorded
     */
    public record Entry(String migrationId, String rowKey, String legacyValue, String error, Instant recordedAt) {
    }
}
