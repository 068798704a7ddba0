package dev.flagway.backfill;

import dev.flagway.Migration;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Record2;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * A migration's table as the backfill and the verifier walk it: in key order, in keyset ranges
 * ({@code WHERE key > ? AND key <= ?}). Keys travel as text (checkpoints and the repair log
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

    /**
     * The next {@code limit} keys after {@code after} (or the fewer that are left), as their count and
     * last key, without fetching the keys: the {@code limit}-th key by {@code OFFSET}, and only when
     * there is none, the count and maximum of the remaining ones (bounded by {@code limit} so that
     * rows inserted meanwhile cannot make it larger). Empty when no key is left.
     */
    Optional<Span> nextSpan(DSLContext dsl, String after, int limit) {
        Condition rest = range(dsl, after, null);
        Object last = dsl.select(key).from(table).where(rest).orderBy(key).limit(1).offset(limit - 1).fetchOne(key);
        if (last != null) {
            return Optional.of(new Span(keyText(last), limit));
        }
        Table<?> head = dsl.select(key).from(table).where(rest).orderBy(key).limit(limit).asTable("flagway_head");
        Record2<Integer, Object> tail = dsl.select(DSL.count(), DSL.max(head.field(key))).from(head).fetchOne();
        return tail == null || tail.value1() == 0 ? Optional.empty()
                : Optional.of(new Span(keyText(tail.value2()), tail.value1()));
    }

    /**
     * A run of consecutive keys.
     *
     * @param lastKey its last key, as text
     * @param keys how many keys it holds
     */
    record Span(String lastKey, int keys) {
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
