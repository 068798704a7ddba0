package dev.flagway.schema;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Query;
import org.jooq.impl.DSL;

/**
 * The plain jOOQ statements behind the schema operations, for dialects to render or to wrap in
 * their own lock-safe forms. Every name is quoted by jOOQ.
 */
public final class DdlQueries {
    private DdlQueries() {
    }

    /** {@code ALTER TABLE t ADD COLUMN IF NOT EXISTS c type [DEFAULT d]}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Query addColumn(DSLContext dsl, SchemaOperation.AddColumn op) {
        DataType type = op.type();
        if (op.defaultValue() != null) {
            type = type.defaultValue((Field) op.defaultValue());
        }
        return dsl.alterTable(op.table()).addColumnIfNotExists(op.column(), type);
    }

    /** {@code CREATE [UNIQUE] INDEX IF NOT EXISTS i ON t (cols)} (a plain, blocking build). */
    public static Query createIndex(DSLContext dsl, SchemaOperation.CreateIndex op) {
        return (op.unique() ? dsl.createUniqueIndexIfNotExists(op.index()) : dsl.createIndexIfNotExists(op.index()))
                .on(DSL.table(op.table()), fields(op.columns()));
    }

    /** {@code ALTER TABLE t ADD CONSTRAINT c CHECK (cond)}. */
    public static Query addCheck(DSLContext dsl, SchemaOperation.AddCheck op) {
        return dsl.alterTable(op.table()).add(DSL.constraint(op.constraint()).check(op.check()));
    }

    /** {@code ALTER TABLE t ADD CONSTRAINT c FOREIGN KEY (col) REFERENCES r (rcol)}. */
    public static Query addForeignKey(DSLContext dsl, SchemaOperation.AddForeignKey op) {
        return dsl.alterTable(op.table()).add(DSL.constraint(op.constraint()).foreignKey(new Name[] {op.column()})
                .references(op.referencedTable(), op.referencedColumn()));
    }

    /** {@code ALTER TABLE t ALTER COLUMN c SET NOT NULL}. */
    public static Query setNotNull(DSLContext dsl, Name table, Name column) {
        return dsl.alterTable(table).alter(column).setNotNull();
    }

    /** {@code ALTER TABLE t ALTER COLUMN c DROP NOT NULL}. */
    public static Query dropNotNull(DSLContext dsl, SchemaOperation.DropNotNull op) {
        return dsl.alterTable(op.table()).alter(op.column()).dropNotNull();
    }

    /** {@code ALTER TABLE t DROP COLUMN IF EXISTS c}. */
    public static Query dropColumn(DSLContext dsl, SchemaOperation.DropColumn op) {
        return dsl.alterTable(op.table()).dropColumnIfExists(op.column());
    }

    /** {@code DROP INDEX IF EXISTS [schema.]i}. */
    public static Query dropIndex(DSLContext dsl, SchemaOperation.DropIndex op) {
        return dsl.dropIndexIfExists(indexName(op.table(), op.index()));
    }

    /** {@code ALTER TABLE t DROP CONSTRAINT IF EXISTS c}. */
    public static Query dropConstraint(DSLContext dsl, Name table, Name constraint) {
        return dsl.alterTable(table).dropConstraintIfExists(constraint);
    }

    /** {@code ALTER TABLE t ALTER COLUMN c [SET DATA] TYPE type}. */
    public static Query changeColumnType(DSLContext dsl, SchemaOperation.ChangeColumnType op) {
        return dsl.alterTable(op.table()).alter(op.column()).set(op.type());
    }

    /** {@code ALTER TABLE t RENAME COLUMN a TO b}. */
    public static Query renameColumn(DSLContext dsl, SchemaOperation.RenameColumn op) {
        return dsl.alterTable(op.table()).renameColumn(op.from()).to(op.to());
    }

    /** The index name qualified by the table's schema, when the table has one. */
    public static Name indexName(Name table, Name index) {
        return table.qualified() ? DSL.name(table.first(), index.last()) : index;
    }

    private static List<Field<?>> fields(List<Name> names) {
        return names.stream().<Field<?>>map(DSL::field).toList();
    }
}
