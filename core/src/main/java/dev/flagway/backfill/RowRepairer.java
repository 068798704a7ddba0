package dev.flagway.backfill;

import dev.flagway.internal.ServerDialect;
import dev.flagway.Migration;
import java.sql.Connection;
import java.util.Collections;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * Re-derives a row's new column from its legacy value with the migration's transform, in the
 * caller's transaction. The one piece of code behind a dual write's inline repair, the backfill's
 * repair drain and the resolution of a bad row.
 */
public final class RowRepairer {
    private final MigrationTable table;
    private final Transform transform;

    RowRepairer(MigrationTable table, Transform transform) {
        this.table = table;
        this.transform = transform;
    }

    /** A repairer with the migration's own (Java) transform. */
    public static RowRepairer of(Migration migration) {
        return new RowRepairer(new MigrationTable(migration), Transform.of(migration));
    }

    /**
     * Re-derives the new value of the row whose key is {@code keyText}, locking the row, in the
     * connection's current transaction.
     *
     * @return whether the row exists
     * @throws TransformException when the transform throws on the legacy value
     * @throws org.jooq.exception.DataAccessException when the database refuses (e.g. the new column's constraint)
     */
    public boolean repair(Connection connection, String keyText) {
        return repair(ServerDialect.using(connection), keyText);
    }

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

    /** The legacy value of one row (null also when the row is gone), for a bad-row record. */
    Object legacyValue(DSLContext dsl, String keyText) {
        return dsl.select(table.legacy()).from(table.table()).where(table.keyIs(dsl, keyText)).fetchOne(table.legacy());
    }

    /** The Java transform applied to one row's legacy value. */
    Object derive(Object key, Object legacy) {
        try {
            return ((Transform.Java) transform).function().apply(legacy);
        } catch (RuntimeException e) {
            throw new TransformException(key, e);
        }
    }

    /** {@code new = value}, where the value may be a bind value, null or an expression. */
    Map<Field<?>, Object> assignNew(Object value) {
        return Collections.singletonMap(table.modern(), value);
    }
}
