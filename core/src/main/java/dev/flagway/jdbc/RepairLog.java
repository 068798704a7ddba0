package dev.flagway.jdbc;

import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.Failures;
import dev.flagway.internal.Identifiers;
import dev.flagway.internal.ServerDialect;
import dev.flagway.internal.tables.TableSetup;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The table of rows whose modern write failed and must be re-derived from the legacy value. A dual
 * write records the key in the same transaction as its legacy write, with the request's targeting
 * key, which every instance reads legacy for until the entry is gone; the backfill engine drains it.
 * One row per (migration, key): a repeated failure bumps {@code failures} and keeps the latest error.
 */
public final class RepairLog {
    /** The default table name. */
    public static final String DEFAULT_TABLE = Bookkeeping.REPAIR_TABLE;

    private final String tableName;
    private final Bookkeeping.Repairs t;

    private RepairLog(String tableName) {
        this.t = new Bookkeeping.Repairs(Bookkeeping.name("repair table", tableName));
        this.tableName = tableName;
    }

    /** The log in {@link #DEFAULT_TABLE}. */
    public static RepairLog ofDefaults() {
        return named(DEFAULT_TABLE);
    }

    /** The log in a table of another name ({@code table} or {@code schema.table}, plain identifiers). */
    public static RepairLog named(String tableName) {
        return new RepairLog(tableName);
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
     * Records that the modern write of {@code key} failed, in the connection's current transaction,
     * without a targeting key: instances read legacy for the targeting key equal to the row key's text.
     */
    public void record(Connection connection, String migration, Object key, Throwable cause) {
        record(connection, migration, key, null, cause);
    }

    /**
     * Records that the modern write of {@code key}, made for {@code targetingKey} (may be null),
     * failed, in the connection's current transaction. Keys longer than 255 characters are refused: a
     * truncated key could repair the wrong row, or pin the wrong one.
     */
    public void record(Connection connection, String migration, Object key, String targetingKey, Throwable cause) {
        String keyText = Identifiers.requireKeyLength("row key of migration '" + migration + "'", String.valueOf(key),
                Bookkeeping.KEY_LENGTH);
        if (targetingKey != null) {
            Identifiers.requireKeyLength("targeting key of migration '" + migration + "'", targetingKey,
                    Bookkeeping.KEY_LENGTH);
        }
        String message = Failures.describe(cause, Bookkeeping.ERROR_LENGTH);
        Timestamp now = Timestamp.from(Instant.now());
        using(connection).insertInto(t.table, t.migrationId, t.rowKey, t.targetingKey, t.error, t.failures, t.recordedAt)
                .values(migration, keyText, targetingKey, message, 1, now)
                .onConflict(t.migrationId, t.rowKey)
                .doUpdate()
                .set(t.targetingKey, targetingKey)
                .set(t.error, message)
                .set(t.failures, t.failures.plus(1))
                .set(t.recordedAt, now)
                .execute();
    }

    /** How many entries of a migration are pending. */
    public long pendingCount(Connection connection, String migration) {
        return using(connection).fetchCount(t.table, t.migrationId.eq(migration));
    }

    /** Up to {@code limit} pending entries of a migration, oldest first. */
    public List<Entry> pending(Connection connection, String migration, int limit) {
        return using(connection).select(t.rowKey, t.targetingKey, t.error, t.failures, t.recordedAt)
                .from(t.table)
                .where(t.migrationId.eq(migration))
                .orderBy(t.recordedAt, t.rowKey)
                .limit(limit)
                .fetch(r -> new Entry(migration, r.value1(), r.value2(), r.value3(), r.value4(),
                        r.value5().toInstant()));
    }

    /**
     * The keys a migration's reads must take from the legacy column while their entries are pending:
     * each entry's targeting key, or its row key when it was recorded without one. At most {@code limit}.
     */
    public List<String> pinnedKeys(Connection connection, String migration, int limit) {
        return using(connection).select(DSL.coalesce(t.targetingKey, t.rowKey))
                .from(t.table)
                .where(t.migrationId.eq(migration))
                .limit(limit)
                .fetch(0, String.class);
    }

    /** Removes an entry once its row is repaired; returns whether it existed. */
    public boolean remove(Connection connection, String migration, String key) {
        return using(connection).deleteFrom(t.table)
                .where(t.migrationId.eq(migration)).and(t.rowKey.eq(key))
                .execute() > 0;
    }

    private static DSLContext using(Connection connection) {
        return ServerDialect.using(connection);
    }

    /**
     * One pending repair.
     *
     * @param migrationId the migration
     * @param rowKey the row's key, as text
     * @param targetingKey the targeting key of the write that failed, or null when it had none
     * @param error the latest failure
     * @param failures how many times the row's modern write failed since it was last repaired
     * @param recordedAt when the latest failure was recorded
     */
    public record Entry(String migrationId, String rowKey, String targetingKey, String error, int failures,
                        Instant recordedAt) {
    }
}
