package dev.flagway.backfill;

import dev.flagway.internal.ServerDialect;
import dev.flagway.jdbc.BadRowLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Optional;
import java.util.function.Predicate;
import org.jooq.BatchBindStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Writes one keyset batch, or one repaired row, in the caller's transaction. Under
 * {@link TransformFailurePolicy#SKIP_AND_RECORD} a row the transform throws on is recorded as a bad
 * row and left alone; a batch the database refuses (one row's derived value breaks a constraint of
 * the new column) is rolled back to its savepoint and written again row by row, each row under its
 * own savepoint, so that only the rows the database refuses are recorded.
 */
final class BatchWriter {
    private final MigrationTable table;
    private final Transform transform;
    private final RowRepairer repairer;
    private final boolean reverify;
    private final BadRows badRows;

    /**
     * Where rows that cannot be migrated go under {@link TransformFailurePolicy#SKIP_AND_RECORD}.
     *
     * @param log the table
     * @param migrationId the migration
     * @param connectionLost whether an error is a lost connection, which is never a bad row
     */
    record BadRows(BadRowLog log, String migrationId, Predicate<Throwable> connectionLost) {
    }

    /** A writer; {@code badRows} null means {@link TransformFailurePolicy#FAIL}. */
    BatchWriter(MigrationTable table, Transform transform, boolean reverify, BadRows badRows) {
        this.table = table;
        this.transform = transform;
        this.repairer = new RowRepairer(table, transform);
        this.reverify = reverify;
        this.badRows = badRows;
    }

    RowRepairer repairer() {
        return repairer;
    }

    /** The outcome of one batch; {@code walked == 0} means the key space is exhausted. */
    record Batch(String lastKey, int walked, int updated) {
    }

    Batch next(Connection connection, DSLContext dsl, String after, int limit) throws SQLException {
        Optional<MigrationTable.Span> span = table.nextSpan(dsl, after, limit);
        if (span.isEmpty()) {
            return new Batch(after, 0, 0);
        }
        String last = span.get().lastKey();
        Condition range = table.range(dsl, after, last);
        int updated = badRows == null ? bulk(connection, dsl, range) : bulkOrRowByRow(connection, dsl, range);
        return new Batch(last, span.get().keys(), updated);
    }

    /**
     * Re-derives one row from its legacy value; under {@link TransformFailurePolicy#SKIP_AND_RECORD},
     * records it as a bad row instead when that fails.
     */
    void repair(Connection connection, DSLContext dsl, String keyText) throws SQLException {
        if (badRows == null) {
            repairer.repair(dsl, keyText);
            return;
        }
        Savepoint savepoint = connection.setSavepoint();
        try {
            repairer.repair(dsl, keyText);
            connection.releaseSavepoint(savepoint);
        } catch (TransformException | DataAccessException e) {
            rollBackUnlessLost(connection, savepoint, e);
            record(connection, keyText, repairer.legacyValue(dsl, keyText), e);
        }
    }

    private int bulkOrRowByRow(Connection connection, DSLContext dsl, Condition range) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            int updated = bulk(connection, dsl, range);
            connection.releaseSavepoint(savepoint);
            return updated;
        } catch (DataAccessException e) {
            rollBackUnlessLost(connection, savepoint, e);
            return rowByRow(connection, dsl, range);
        }
    }

    private int bulk(Connection connection, DSLContext dsl, Condition range) {
        return transform instanceof Transform.Sql sql ? updateInSql(dsl, range, sql) : updateInJava(connection, dsl, range);
    }

    private int updateInSql(DSLContext dsl, Condition range, Transform.Sql sql) {
        Field<Object> derived = sql.over(table.legacy());
        return dsl.update(table.table()).set(repairer.assignNew(derived)).where(range).and(stale(dsl, derived)).execute();
    }

    private int updateInJava(Connection connection, DSLContext dsl, Condition range) {
        BatchBindStep batch = dsl.batch(dsl.update(table.table()).set(table.modern(), (Object) null)
                .where(table.key().eq((Object) null)));
        int updated = 0;
        for (Record r : candidates(dsl, range)) {
            Object value;
            try {
                value = repairer.derive(r.get(0), r.get(1));
            } catch (TransformException e) {
                if (badRows == null) {
                    throw e;
                }
                record(connection, MigrationTable.keyText(r.get(0)), r.get(1), e);
                continue;
            }
            if (!Transform.sameValue(r.get(2), value)) {
                batch.bind(value, r.get(0));
                updated++;
            }
        }
        if (updated > 0) {
            batch.execute();
        }
        return updated;
    }

    /** The batch once more, each row under its own savepoint; rows that fail are recorded. */
    private int rowByRow(Connection connection, DSLContext dsl, Condition range) throws SQLException {
        int updated = 0;
        for (Record r : candidates(dsl, range)) {
            Condition row = table.key().eq(r.get(0));
            Savepoint savepoint = connection.setSavepoint();
            try {
                if (transform instanceof Transform.Sql sql) {
                    Field<Object> derived = sql.over(table.legacy());
                    updated += dsl.update(table.table()).set(repairer.assignNew(derived)).where(row).and(stale(dsl, derived))
                            .execute();
                } else {
                    Object value = repairer.derive(r.get(0), r.get(1));
                    if (!Transform.sameValue(r.get(2), value)) {
                        updated += dsl.update(table.table()).set(repairer.assignNew(value)).where(row).execute();
                    }
                }
                connection.releaseSavepoint(savepoint);
            } catch (TransformException | DataAccessException e) {
                rollBackUnlessLost(connection, savepoint, e);
                record(connection, MigrationTable.keyText(r.get(0)), r.get(1), e);
            }
        }
        return updated;
    }

    /** The rows of the range that may need writing, locked: (key, legacy, new). */
    private Result<? extends Record> candidates(DSLContext dsl, Condition range) {
        Condition candidates = reverify ? range : range.and(table.modern().isNull());
        return dsl.select(table.key(), table.legacy(), table.modern()).from(table.table()).where(candidates)
                .forUpdate().fetch();
    }

    /**
     * Rows whose new value must be (re)written for the derived expression; when re-verifying, a value
     * differing only in case or trailing blanks too, which MySQL's and MariaDB's collations would call equal.
     */
    private Condition stale(DSLContext dsl, Field<Object> derived) {
        if (!reverify) {
            return table.modern().isNull().and(derived.isNotNull());
        }
        return ServerDialect.comparesTextLoosely(dsl.dialect()) ? DSL.not(ServerDialect.sameBytes(table.modern(), derived))
                : table.modern().isDistinctFrom(derived);
    }

    private void rollBackUnlessLost(Connection connection, Savepoint savepoint, RuntimeException e) throws SQLException {
        if (badRows.connectionLost().test(e)) {
            throw e;
        }
        connection.rollback(savepoint);
    }

    private void record(Connection connection, String keyText, Object legacy, RuntimeException error) {
        badRows.log().record(connection, badRows.migrationId(), keyText, legacy, error instanceof TransformException
                ? error.getCause() : error);
    }
}
