package dev.flagway.schema;

import dev.flagway.internal.Checks;
import dev.flagway.internal.Identifiers;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.impl.DSL;

/**
 * One schema change of an expand or contract step. Operations are dialect-neutral descriptions; a
 * {@link dev.flagway.dialect.Dialect} turns them into lock-safe statements and a
 * {@link SchemaExecutor} runs them. Every name is checked to be a plain SQL identifier when the
 * operation is created, so a configured name can never carry SQL.
 *
 * <pre>{@code
 * List<SchemaOperation> expand = List.of(
 *         SchemaOperation.addColumn("users", "email_normalized", SQLDataType.VARCHAR(320)),
 *         SchemaOperation.createIndex("users", "users_email_normalized_idx", "email_normalized"));
 * }</pre>
 */
public sealed interface SchemaOperation {
    /** The table the operation changes. */
    Name table();

    /** The operation that undoes this one, for expand operations; empty for the others. */
    default Optional<SchemaOperation> inverse() {
        return Optional.empty();
    }

    /** A short human-readable description, e.g. {@code add column "users"."email_normalized"}. */
    String describe();

    /**
     * Calls the method of {@code visitor} for this kind of operation. Dialects and the linter handle
     * operations through it, so a new kind of operation, which adds a method to {@link Visitor}, fails to
     * compile until every one of them handles it.
     *
     * @param <R> what the visitor returns
     * @param <X> what the visitor may throw ({@link RuntimeException} for nothing checked)
     */
    <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X;

    /**
     * One method per kind of operation, for {@link #accept}.
     *
     * @param <R> what each method returns
     * @param <X> what each method may throw ({@link RuntimeException} for nothing checked)
     */
    interface Visitor<R, X extends Exception> {
        /** Handles {@link AddColumn}. */
        R addColumn(AddColumn operation) throws X;

        /** Handles {@link CreateIndex}. */
        R createIndex(CreateIndex operation) throws X;

        /** Handles {@link AddCheck}. */
        R addCheck(AddCheck operation) throws X;

        /** Handles {@link AddForeignKey}. */
        R addForeignKey(AddForeignKey operation) throws X;

        /** Handles {@link SetNotNull}. */
        R setNotNull(SetNotNull operation) throws X;

        /** Handles {@link DropNotNull}. */
        R dropNotNull(DropNotNull operation) throws X;

        /** Handles {@link DropColumn}. */
        R dropColumn(DropColumn operation) throws X;

        /** Handles {@link DropIndex}. */
        R dropIndex(DropIndex operation) throws X;

        /** Handles {@link DropConstraint}. */
        R dropConstraint(DropConstraint operation) throws X;

        /** Handles {@link ChangeColumnType}. */
        R changeColumnType(ChangeColumnType operation) throws X;

        /** Handles {@link RenameColumn}. */
        R renameColumn(RenameColumn operation) throws X;
    }

    /** Adds a nullable column (or one with a constant default when {@code type} carries one). */
    static AddColumn addColumn(String table, String column, DataType<?> type) {
        return new AddColumn(tableName(table), columnName(column), type, null);
    }

    /** Adds a column with a default; the linter accepts only constant defaults ({@code DSL.inline(...)}, {@code DSL.val(...)}). */
    static AddColumn addColumn(String table, String column, DataType<?> type, Field<?> defaultValue) {
        return new AddColumn(tableName(table), columnName(column), type, Checks.notNull("default value", defaultValue));
    }

    /** Builds an index without blocking writes (concurrently where the database supports it). */
    static CreateIndex createIndex(String table, String index, String... columns) {
        return new CreateIndex(tableName(table), columnName(index), columnNames(columns), false, true);
    }

    /** Builds a unique index without blocking writes. */
    static CreateIndex createUniqueIndex(String table, String index, String... columns) {
        return new CreateIndex(tableName(table), columnName(index), columnNames(columns), true, true);
    }

    /** Adds a check constraint, not validated at first, then validated in a separate transaction. */
    static AddCheck addCheck(String table, String constraint, Condition check) {
        return new AddCheck(tableName(table), columnName(constraint), Checks.notNull("check condition", check), true);
    }

    /** Adds a foreign key, not validated at first, then validated in a separate transaction. */
    static AddForeignKey addForeignKey(String table, String constraint, String column, String referencedTable,
            String referencedColumn) {
        return new AddForeignKey(tableName(table), columnName(constraint), columnName(column),
                tableName(referencedTable), columnName(referencedColumn), true);
    }

    /** Makes a column NOT NULL, proven first by a validated check constraint so no scan runs under an exclusive lock. */
    static SetNotNull setNotNull(String table, String column) {
        return new SetNotNull(tableName(table), columnName(column), true);
    }

    /** Drops a NOT NULL constraint (the inverse of {@link #setNotNull}). */
    static DropNotNull dropNotNull(String table, String column) {
        return new DropNotNull(tableName(table), columnName(column));
    }

    /** Drops a column if it exists. */
    static DropColumn dropColumn(String table, String column) {
        return new DropColumn(tableName(table), columnName(column));
    }

    /** Drops an index if it exists, concurrently where the database supports it. */
    static DropIndex dropIndex(String table, String index) {
        return new DropIndex(tableName(table), columnName(index));
    }

    /** Drops a constraint if it exists. */
    static DropConstraint dropConstraint(String table, String constraint) {
        return new DropConstraint(tableName(table), columnName(constraint));
    }

    /** Changes a column's type in place; refused by the linter unless overridden. */
    static ChangeColumnType changeColumnType(String table, String column, DataType<?> type) {
        return new ChangeColumnType(tableName(table), columnName(column), type);
    }

    /** Renames a column; refused by the linter unless overridden. */
    static RenameColumn renameColumn(String table, String from, String to) {
        return new RenameColumn(tableName(table), columnName(from), columnName(to));
    }

    private static Name tableName(String table) {
        return DSL.name(Identifiers.requireTableName("table", table));
    }

    private static Name columnName(String name) {
        return DSL.name(Identifiers.requireSqlName("identifier", name));
    }

    private static List<Name> columnNames(String... columns) {
        if (columns == null || columns.length == 0) {
            throw new IllegalArgumentException("an index needs at least one column");
        }
        return Arrays.stream(columns).map(SchemaOperation::columnName).toList();
    }

    /**
     * Adds a column.
     *
     * @param table the table
     * @param column the new column
     * @param type its type; NOT NULL only together with a default
     * @param defaultValue the default, or null for none
     */
    record AddColumn(Name table, Name column, DataType<?> type, Field<?> defaultValue) implements SchemaOperation {
        /** Checks the names and the type. */
        public AddColumn {
            SchemaNames.requireTable(table);
            SchemaNames.requireSimple("column", column);
            Checks.notNull("column type", type);
        }

        @Override
        public Optional<SchemaOperation> inverse() {
            return Optional.of(new DropColumn(table, column));
        }

        @Override
        public String describe() {
            return "add column " + SchemaNames.show(table) + "." + SchemaNames.show(column);
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.addColumn(this);
        }
    }

    /**
     * Creates an index.
     *
     * @param table the table
     * @param index the index name
     * @param columns the indexed columns
     * @param unique whether it is unique
     * @param concurrently whether it is built without blocking writes
     */
    record CreateIndex(Name table, Name index, List<Name> columns, boolean unique, boolean concurrently)
            implements SchemaOperation {
        /** Checks the names. */
        public CreateIndex {
            SchemaNames.requireTable(table);
            SchemaNames.requireSimple("index", index);
            columns = List.copyOf(columns);
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("an index needs at least one column");
            }
            columns.forEach(c -> SchemaNames.requireSimple("index column", c));
        }

        /** The same index built with a plain, write-blocking build; refused by the linter unless overridden. */
        public CreateIndex nonConcurrent() {
            return new CreateIndex(table, index, columns, unique, false);
        }

        @Override
        public Optional<SchemaOperation> inverse() {
            return Optional.of(new DropIndex(table, index));
        }

        @Override
        public String describe() {
            return "create " + (unique ? "unique " : "") + "index " + SchemaNames.show(index) + " on "
                    + SchemaNames.show(table);
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.createIndex(this);
        }
    }

    /**
     * Adds a check constraint.
     *
     * @param table the table
     * @param constraint the constraint name
     * @param check the condition every row must meet
     * @param deferValidation whether it is added NOT VALID and validated in a separate transaction
     */
    record AddCheck(Name table, Name constraint, Condition check, boolean deferValidation) implements SchemaOperation {
        /** Checks the names. */
        public AddCheck {
            SchemaNames.requireTable(table);
            SchemaNames.requireSimple("constraint", constraint);
            Checks.notNull("check condition", check);
        }

        /** The same constraint validated while it is added; refused by the linter unless overridden. */
        public AddCheck validatingImmediately() {
            return new AddCheck(table, constraint, check, false);
        }

        @Override
        public Optional<SchemaOperation> inverse() {
            return Optional.of(new DropConstraint(table, constraint));
        }

        @Override
        public String describe() {
            return "add check " + SchemaNames.show(constraint) + " on " + SchemaNames.show(table);
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.addCheck(this);
        }
    }

    /**
     * Adds a single-column foreign key.
     *
     * @param table the referencing table
     * @param constraint the constraint name
     * @param column the referencing column
     * @param referencedTable the referenced table
     * @param referencedColumn the referenced column
     * @param deferValidation whether it is added NOT VALID and validated in a separate transaction
     */
    record AddForeignKey(Name table, Name constraint, Name column, Name referencedTable, Name referencedColumn,
            boolean deferValidation) implements SchemaOperation {
        /** Checks the names. */
        public AddForeignKey {
            SchemaNames.requireTable(table);
            SchemaNames.requireSimple("constraint", constraint);
            SchemaNames.requireSimple("column", column);
            SchemaNames.requireTable(referencedTable);
            SchemaNames.requireSimple("referenced column", referencedColumn);
        }

        /** The same key validated while it is added; refused by the linter unless overridden. */
        public AddForeignKey validatingImmediately() {
            return new AddForeignKey(table, constraint, column, referencedTable, referencedColumn, false);
        }

        @Override
        public Optional<SchemaOperation> inverse() {
            return Optional.of(new DropConstraint(table, constraint));
        }

        @Override
        public String describe() {
            return "add foreign key " + SchemaNames.show(constraint) + " on " + SchemaNames.show(table);
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.addForeignKey(this);
        }
    }

    /**
     * Makes a column NOT NULL.
     *
     * @param table the table
     * @param column the column
     * @param viaCheck whether a validated check constraint proves it first (the lock-safe way)
     */
    record SetNotNull(Name table, Name column, boolean viaCheck) implements SchemaOperation {
        /** Checks the names. */
        public SetNotNull {
            SchemaNames.requireTable(table);
            SchemaNames.requireSimple("column", column);
        }

        /** A plain SET NOT NULL that scans under an exclusive lock; refused by the linter unless overridden. */
        public SetNotNull direct() {
            return new SetNotNull(table, column, false);
        }

        @Override
        public Optional<SchemaOperation> inverse() {
            return Optional.of(new DropNotNull(table, column));
        }

        @Override
        public String describe() {
            return "set not null on " + SchemaNames.show(table) + "." + SchemaNames.show(column);
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.setNotNull(this);
        }
    }

    /**
     * Drops a NOT NULL constraint.
     *
     * @param table the table
     * @param column the column
     */
    record DropNotNull(Name table, Name column) implements SchemaOperation {
        /** Checks the names. */
        public DropNotNull {
            SchemaNames.requireTable(table);
            SchemaNames.requireSimple("column", column);
        }


        @Override
        public String describe() {
            return "drop not null on " + SchemaNames.show(table) + "." + SchemaNames.show(column);
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.dropNotNull(this);
        }
    }

    /**
     * Drops a column.
     *
     * @param table the table
     * @param column the column
     */
    record DropColumn(Name table, Name column) implements SchemaOperation {
        /** Checks the names. */
        public DropColumn {
            SchemaNames.requireTable(table);
            SchemaNames.requireSimple("column", column);
        }


        @Override
        public String describe() {
            return "drop column " + SchemaNames.show(table) + "." + SchemaNames.show(column);
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.dropColumn(this);
        }
    }

    /**
     * Drops an index.
     *
     * @param table the indexed table (its schema qualifies the index)
     * @param index the index
     */
    record DropIndex(Name table, Name index) implements SchemaOperation {
        /** Checks the names. */
        public DropIndex {
            SchemaNames.requireTable(table);
            SchemaNames.requireSimple("index", index);
        }


        @Override
        public String describe() {
            return "drop index " + SchemaNames.show(index) + " on " + SchemaNames.show(table);
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.dropIndex(this);
        }
    }

    /**
     * Drops a constraint.
     *
     * @param table the table
     * @param constraint the constraint
     */
    record DropConstraint(Name table, Name constraint) implements SchemaOperation {
        /** Checks the names. */
        public DropConstraint {
            SchemaNames.requireTable(table);
            SchemaNames.requireSimple("constraint", constraint);
        }


        @Override
        public String describe() {
            return "drop constraint " + SchemaNames.show(constraint) + " on " + SchemaNames.show(table);
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.dropConstraint(this);
        }
    }

    /**
     * Changes a column's type in place (unsafe: the linter refuses it unless overridden).
     *
     * @param table the table
     * @param column the column
     * @param type the new type
     */
    record ChangeColumnType(Name table, Name column, DataType<?> type) implements SchemaOperation {
        /** Checks the names and the type. */
        public ChangeColumnType {
            SchemaNames.requireTable(table);
            SchemaNames.requireSimple("column", column);
            Checks.notNull("column type", type);
        }


        @Override
        public String describe() {
            return "change type of " + SchemaNames.show(table) + "." + SchemaNames.show(column);
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.changeColumnType(this);
        }
    }

    /**
     * Renames a column (unsafe: the linter refuses it unless overridden).
     *
     * @param table the table
     * @param from the current name
     * @param to the new name
     */
    record RenameColumn(Name table, Name from, Name to) implements SchemaOperation {
        /** Checks the names. */
        public RenameColumn {
            SchemaNames.requireTable(table);
            SchemaNames.requireSimple("column", from);
            SchemaNames.requireSimple("new column name", to);
        }


        @Override
        public String describe() {
            return "rename column " + SchemaNames.show(table) + "." + SchemaNames.show(from) + " to "
                    + SchemaNames.show(to);
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.renameColumn(this);
        }
    }
}
