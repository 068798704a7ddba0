package dev.flagway.internal.tables;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * A table Flagway keeps its own records in: its name, columns and primary key (none when empty).
 *
 * @param table the table
 * @param columns its columns, in order
 * @param primaryKey the primary key's columns, or none
 */
public record TableDefinition(Table<?> table, List<Field<?>> columns, List<Field<?>> primaryKey) {
    /** Copies the lists. */
    public TableDefinition {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /** {@code CREATE TABLE IF NOT EXISTS}, rendered by {@code dsl}. */
    public Query create(DSLContext dsl) {
        return primaryKey.isEmpty() ? dsl.createTableIfNotExists(table).columns(columns)
                : dsl.createTableIfNotExists(table).columns(columns).constraints(DSL.primaryKey(primaryKey));
    }

    /** The table's name as written in SQL, for messages. */
    public String displayName() {
        return table.getQualifiedName().toString().replace("\"", "");
    }
}
