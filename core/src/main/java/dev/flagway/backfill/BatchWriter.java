package dev.flagway.backfill;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import org.jooq.BatchBindStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;

/** Writes one keyset batch, or one repaired row, in the caller's transaction. */
final class BatchWriter {
    private final MigrationTable table;
    private final Transform transform;
    private final boolean reverify;

    BatchWriter(MigrationTable table, Transform transform, boolean reverify) {
        this.table = table;
        this.transform = transform;
        this.reverify = reverify;
    }

    /** The outcome of one batch; {@code walked == 0} means the key space is exhausted. */
    record Batch(String lastKey, int walked, int updated) {
    }

    Batch next(DSLContext dsl, String after, int limit) {
        Optional<MigrationTable.Span> span = table.nextSpan(dsl, after, limit);
        if (span.isEmpty()) {
            return new Batch(after, 0, 0);
        }
        String last = span.get().lastKey();
        Condition range = table.range(dsl, after, last);
        int updated = transform instanceof Transform.Sql sql ? updateInSql(dsl, range, sql) : updateInJava(dsl, range);
        return new Batch(last, span.get().keys(), updated);
    }

    /** Re-derives the new value of one row from its legacy value; returns whether the row exists. */
    boolean repair(DSLContext dsl, String keyText) {
        Condition row = table.keyIs(dsl, keyText);
        if (transform instanceof Transform.Sql sql) {
            return dsl.update(table.table()).set(assignNew(sql.over(table.legacy()))).where(row).execute() > 0;
        }
        Record r = dsl.select(table.key(), table.legacy()).from(table.table()).where(row).forUpdate().fetchOne();
        if (r == null) {
            return false;
        }
        dsl.update(table.table()).set(assignNew(derive(r.get(0), r.get(1)))).where(row).execute();
        return true;
    }

    private int updateInSql(DSLContext dsl, Condition range, Transform.Sql sql) {
        Field<Object> derived = sql.over(table.legacy());
        Condition stale = reverify ? table.modern().isDistinctFrom(derived)
                : table.modern().isNull().and(derived.isNotNull());
        return dsl.update(table.table()).set(assignNew(derived)).where(range).and(stale).execute();
    }

    private int updateInJava(DSLContext dsl, Condition range) {
        Condition candidates = reverify ? range : range.and(table.modern().isNull());
        Result<? extends Record> rows = dsl.select(table.key(), table.legacy(), table.modern()).from(table.table())
                .where(candidates).forUpdate().fetch();
        BatchBindStep batch = dsl.batch(dsl.update(table.table()).set(table.modern(), (Object) null)
                .where(table.key().eq((Object) null)));
        int updated = 0;
        for (Record r : rows) {
            Object value = derive(r.get(0), r.get(1));
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

    /** {@code new = value}, where the value may be a bind value, null or an expression. */
    private Map<Field<?>, Object> assignNew(Object value) {
        return Collections.singletonMap(table.modern(), value);
    }

    private Object derive(Object key, Object legacy) {
        try {
            return ((Transform.Java) transform).function().apply(legacy);
        } catch (RuntimeException e) {
            throw new BackfillException("the transform failed for key " + key, e);
        }
    }
}
