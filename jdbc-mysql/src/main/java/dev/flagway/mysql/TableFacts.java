package dev.flagway.mysql;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the DDL planner needs to know about one table, read from the information schema.
 *
 * @param exists whether the table exists
 * @param engine its storage engine, e.g. {@code InnoDB}
 * @param rowFormat its row format, e.g. {@code Dynamic} or {@code Compressed}
 * @param hasFulltextIndex whether it has a FULLTEXT index: column changes then rebuild the table and block writes
 * @param rowVersions MySQL 8.0.29+'s {@code TOTAL_ROW_VERSIONS}, 0 elsewhere
 * @param columns column name (lower case) to its facts
 * @param indexedColumns names (lower case) of the columns that are part of an index
 * @param indexes index names (lower case)
 * @param constraints constraint name (lower case) to its type, e.g. {@code FOREIGN KEY}
 */
record TableFacts(boolean exists, String engine, String rowFormat, boolean hasFulltextIndex, int rowVersions,
        Map<String, Column> columns, Set<String> indexedColumns, Set<String> indexes, Map<String, String> constraints) {

    /** Copies the collections. */
    TableFacts {
        columns = Map.copyOf(columns);
        indexedColumns = Set.copyOf(indexedColumns);
        indexes = Set.copyOf(indexes);
        constraints = Map.copyOf(constraints);
    }

    /**
     * One column.
     *
     * @param dataType the data type, lower case, e.g. {@code varchar}
     * @param maxLength the character length for string types, else 0
     * @param nullable whether it accepts NULL
     */
    record Column(String dataType, long maxLength, boolean nullable) {
    }

    /** Whether the table uses InnoDB, the only engine with online DDL. */
    boolean innodb() {
        return "innodb".equalsIgnoreCase(engine);
    }

    /** The column, or null when the table has none of that name. */
    Column column(String name) {
        return columns.get(key(name));
    }

    /** Whether an index of that name exists. */
    boolean hasIndex(String name) {
        return indexes.contains(key(name));
    }

    /** Whether the column is part of an index. */
    boolean indexed(String column) {
        return indexedColumns.contains(key(column));
    }

    /** The type of the constraint of that name, or null when there is none. */
    String constraintType(String name) {
        return constraints.get(key(name));
    }

    /**
     * Why INSTANT column changes are impossible on this table, or null when they are possible
     * (but see {@link #hasFulltextIndex()}): compressed rows or (MySQL 8.0.29+) too many row versions.
     */
    String instantObstacle(int rowVersionLimit) {
        if ("compressed".equalsIgnoreCase(rowFormat)) {
            return "the table uses ROW_FORMAT=COMPRESSED";
        }
        if (rowVersionLimit > 0 && rowVersions >= rowVersionLimit) {
            return "the table has reached " + rowVersions + " row versions (MySQL allows " + rowVersionLimit + ")";
        }
        return null;
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
