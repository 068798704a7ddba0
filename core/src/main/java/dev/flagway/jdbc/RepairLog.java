package dev.flagway.jdbc;

import dev.flagway.dialect.Connections;
import dev.flagway.internal.Failures;
import dev.flagway.internal.Identifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The table of rows whose modern write failed and must be re-derived from the legacy value. A dual
 * write records the key in the same transaction as its legacy write; the backfill engine drains it.
 * One row per (migration, key): a repeated failure bumps {@code failures} and keeps the latest error.
 */
public final class RepairLog {
    /** The default table name. */
    public static final String DEFAULT_TABLE = "flagway_repair";

    private static final int ERROR_LENGTH = 1000;
    private static final int KEY_LENGTH = 255;

    private final Table<?> table;
    private final Field<String> migrationId;
    private final Field<String> rowKey;
    private final Field<String> error;
    private final Field<Integer> failures;
    private final Field<Timestamp> recordedAt;

    private RepairLog(Name tableName) {
        this.table = DSL.table(tableName);
        // Qualified by the table: H2's MERGE emulation of the upsert would find them ambiguous otherwise.
        this.migrationId = DSL.field(tableName.append("migration_id"), SQLDataType.VARCHAR(100).notNull());
        this.rowKey = DSL.field(tableName.append("row_key"), SQLDataType.VARCHAR(KEY_LENGTH).notNull());
        this.error = DSL.field(tableName.append("error"), SQLDataType.VARCHAR(ERROR_LENGTH));
        this.failures = DSL.field(tableName.append("failures"), SQLDataType.INTEGER.notNull());
        this.recordedAt = DSL.field(tableName.append("recorded_at"), SQLDataType.TIMESTAMP.notNull());
    }

    /** The log in {@link #DEFAULT_TABLE}. */
    public static RepairLog ofDefaults() {
        return named(DEFAULT_TABLE);
    }

    /** The log in a table of another name ({@code table} or {@code schema.table}, plain identifiers). */
    public static RepairLog named(String tableName) {
        return new RepairLog(DSL.name(Identifiers.requireTableName("repair table", tableName)));
    }

    /** Creates the table if it does not exist (idempotent, safe to call from every instance at start-up). */
    public void createIfMissing(Connection connection) {
        using(connection).createTableIfNotExists(table)
                .columns(migrationId, rowKey, error, failures, recordedAt)
                .primaryKey(migrationId, rowKey)
                .execute();
    }

    /**
     * Records that the modern write of {@code key} failed, in the connection's current transaction.
     * Keys longer than 255 characters are refused: a truncated key could repair the wrong row.
     */
    public void record(Connection connection, String migration, Object key, Throwable cause) {
        String keyText = String.valueOf(key);
        if (keyText.length() > KEY_LENGTH) {
            throw new IllegalArgumentException("row key of migration '" + migration + "' is longer than "
                    + KEY_LENGTH + " characters: " + Identifiers.abbreviate(keyText));
        }
        String message = describe(cause);
        Timestamp now = Timestamp.from(Instant.now());
        using(connection).insertInto(table, migrationId, rowKey, error, failures, recordedAt)
                .values(migration, keyText, message, 1, now)
                .onConflict(migrationId, rowKey)
                .doUpdate()
                .set(error, message)
                .set(failures, failures.plus(1))
                .set(recordedAt, now)
                .execute();
    }

    /** Up to {@code limit} pending entries of a migration, oldest first. */
    public List<Entry> pending(Connection connection, String migration, int limit) {
        return using(connection).select(rowKey, error, failures, recordedAt)
                .from(table)
                .where(migrationId.eq(migration))
                .orderBy(recordedAt, rowKey)
                .limit(limit)
                .fetch(r -> new Entry(migration, r.value1(), r.value2(), r.value3(), r.value4().toInstant()));
    }

    /** Removes an entry once its row is repaired; returns whether it existed. */
    public boolean remove(Connection connection, String migration, String key) {
        return using(connection).deleteFrom(table)
                .where(migrationId.eq(migration)).and(rowKey.eq(key))
                .execute() > 0;
    }

    private static DSLContext using(Connection connection) {
        try {
            return DSL.using(connection, Connections.dialect(connection));
        } catch (SQLException e) {
            throw new DataAccessException("cannot read the server of the repair log's connection: " + e.getMessage(), e);
        }
    }

    private static String describe(Throwable cause) {
        String text = Failures.describe(cause);
        return text.length() <= ERROR_LENGTH ? text : text.substring(0, ERROR_LENGTH);
    }

    /** One pending repair. */
    public record Entry(String migrationId, String rowKey, String error, int failures, Instant recordedAt) {
    }
}
