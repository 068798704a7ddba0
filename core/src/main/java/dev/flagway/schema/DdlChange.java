package dev.flagway.schema;

import java.util.Set;

/**
 * One schema change in the shape the lint rules judge. A {@link SchemaOperation} and an action of a
 * parsed SQL statement that do the same thing map onto the same shape, so each rule is written once
 * ({@link LintChecks}).
 */
sealed interface DdlChange {
    /** The table the change is on, or null where it is on none (or the statement does not name it). */
    TableRef table();

    /** How a column's value is generated from other columns. */
    enum Generated { NONE, VIRTUAL, STORED }

    /** What an index is made of. */
    enum IndexKind { PLAIN, FULLTEXT, SPATIAL }

    /** The kinds of table constraint. */
    enum ConstraintKind { CHECK, FOREIGN_KEY, UNIQUE, PRIMARY_KEY, EXCLUSION }

    /** A table created by this script. */
    record CreateTable(TableRef table) implements DdlChange {
    }

    /**
     * A column added to an existing table.
     *
     * @param defaultValue its default, or null for none
     * @param autoIncrement whether the server numbers it (serial, identity, AUTO_INCREMENT)
     * @param inline constraints declared with the column
     */
    record AddColumn(TableRef table, String column, boolean notNull, ColumnDefault defaultValue, boolean autoIncrement,
            Generated generated, Set<ConstraintKind> inline) implements DdlChange {
        public AddColumn {
            inline = Set.copyOf(inline);
        }
    }

    /** An index built; {@code concurrently} means without blocking writes (PostgreSQL's CONCURRENTLY). */
    record CreateIndex(TableRef table, String index, boolean concurrently, IndexKind kind) implements DdlChange {
    }

    /** An index dropped; {@code table} is null where the statement does not name it (PostgreSQL). */
    record DropIndex(TableRef table, String index, boolean concurrently) implements DdlChange {
    }

    /** Indexes rebuilt: of {@code table}, or the index {@code index}, or (both null) of a schema or database. */
    record Reindex(TableRef table, String index, boolean concurrently) implements DdlChange {
    }

    /**
     * A constraint added.
     *
     * @param deferred whether existing rows are not checked now (NOT VALID, MySQL's NOT ENFORCED)
     * @param usingIndex whether it adopts an index built before ({@code USING INDEX})
     * @param notNullColumn for {@code CHECK (column IS NOT NULL)}, that column; else null
     */
    record AddConstraint(TableRef table, String name, ConstraintKind kind, boolean deferred, boolean usingIndex,
            String notNullColumn) implements DdlChange {
    }

    /** A constraint added NOT VALID before, checked now. */
    record ValidateConstraint(TableRef table, String name) implements DdlChange {
    }

    /** A column's type, or (MySQL's MODIFY and CHANGE) its whole definition, changed in place. */
    record ChangeType(TableRef table, String column, String how) implements DdlChange {
    }

    /** NOT NULL set on an existing column; {@code provenByCheck} when a validated CHECK proves it first. */
    record SetNotNull(TableRef table, String column, boolean provenByCheck) implements DdlChange {
    }

    /** A column dropped; {@code contract} when Flagway's contract step drops it, behind its gate. */
    record DropColumn(TableRef table, String column, boolean contract) implements DdlChange {
    }

    /** A column renamed. */
    record RenameColumn(TableRef table, String from, String to) implements DdlChange {
    }

    /** A table renamed or moved to another schema. */
    record RenameTable(TableRef table, String how) implements DdlChange {
    }

    /** A table dropped, or, when {@code schema}, a schema with every table in it. */
    record DropTable(TableRef table, boolean schema) implements DdlChange {
    }

    /** The whole table rebuilt, e.g. VACUUM FULL or MySQL's FORCE. */
    record Rebuild(TableRef table, String how) implements DdlChange {
    }

    /** The primary key dropped (MySQL and MariaDB copy the table unless a new one is added at once). */
    record DropPrimaryKey(TableRef table) implements DdlChange {
    }

    /** Every text column re-encoded (MySQL's CONVERT TO CHARACTER SET). */
    record ConvertCharset(TableRef table) implements DdlChange {
    }

    /** Only the table's default character set for new columns changed. */
    record DefaultCharset(TableRef table) implements DdlChange {
    }

    /** A change of metadata only, or no schema change at all; {@code table} may be null. */
    record Metadata(TableRef table) implements DdlChange {
    }

    /** COMMIT or ROLLBACK: what follows runs in another transaction. */
    record EndTransaction() implements DdlChange {
        @Override
        public TableRef table() {
            return null;
        }
    }

    /** MySQL's {@code SET foreign_key_checks}: off, a new foreign key is added without checking (and copying). */
    record ForeignKeyChecks(boolean on) implements DdlChange {
        @Override
        public TableRef table() {
            return null;
        }
    }

    /** A statement, or part of one, the linter could not read. */
    record Unparsed(String why) implements DdlChange {
        @Override
        public TableRef table() {
            return null;
        }
    }
}
