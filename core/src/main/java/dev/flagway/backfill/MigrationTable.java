package dev.flagway.backfill;

import dev.flagway.Migration;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * A migration's table as the backfill and the verifier walk it: in key order, in keyset ranges
 * ({@code WHERE key > ? ORDER BY key LIMIT n}). Keys travel as text (checkpoints and the repair log
 * store them so) and are cast back to the key column's type in SQL.
 */
public final class MigrationTable {
    private final Table<?> table;
    private final Field<Object> key;
    private final Field<Object> legacy;
    private final Field<Object> modern;
    private volatile DataType<?> keyType;

    /** The table of {@code migration}. */
    public MigrationTable(Migration migration) {
        this.table = DSL.table(migration.tableName());
        this.key = DSL.field(migration.keyColumnName());
        this.legacy = DSL.field(migration.legacyColumnName());
        this.modern = DSL.field(migration.newColumnName());
    }

    /** The table. */
    public Table<?> table() {
        return table;
    }

    /** The key column. */
    public Field<Object> key() {
        return key;
    }

    /** The legacy column. */
    public Field<Object> legacy() {
        return legacy;
    }

    /** The new column. */
    public Field<Object> modern() {
        return modern;
    }

    /** A key value as stored in checkpoints and the repair log. */
    public static String keyText(Object key) {
        return String.valueOf(key);
    }

    /** The key column equal to the key written as {@code text}. */
    public Condition keyIs(DSLContext dsl, String text) {
        return key.eq(keyFromText(dsl, text));
    }

    /** Keys after {@code after} (all keys when it is null) and up to {@code upTo} (no bound when null). */
    public Condition range(DSLContext dsl, String after, String upTo) {
        Condition c = after == null ? DSL.noCondition() : key.gt(keyFromText(dsl, after));
        return upTo == null ? c : c.and(key.le(keyFromText(dsl, upTo)));
    }

    /** Up to {@code limit} keys after {@code after}, in order. */
    public List<Object> nextKeys(DSLContext dsl, String after, int limit) {
        return dsl.select(key).from(table).where(range(dsl, after, null)).orderBy(key).limit(limit).fetch(key);
    }

    @SuppressWarnings("unchecked")
    private Field<Object> keyFromText(DSLContext dsl, String text) {
        return (Field<Object>) DSL.cast(DSL.val(text), keyType(dsl));
    }

    private DataType<?> keyType(DSLContext dsl) {
        DataType<?> type = keyType;
        if (type == null) {
            type = dsl.resultQuery("select {0} from {1} where 1 = 0", key, table).fetch().field(0).getDataType();
            keyType = type;
        }
        return type;
    }
}
