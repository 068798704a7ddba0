package dev.flagway.schema;

/** The kinds of unsafe schema request the linter refuses, each with its safe alternative. */
public enum LintRule {
    /** A non-constant default may be volatile and rewrite the table under an exclusive lock. */
    VOLATILE_DEFAULT("a default that is not a constant may be volatile and rewrite the whole table under an exclusive lock",
            "add the column nullable or with a constant default, then backfill it with Flagway's backfill"),
    /** Changing a column's type in place rewrites the table and breaks instances still running the old code. */
    TYPE_CHANGE_IN_PLACE("changing a column's type in place rewrites the table under an exclusive lock and breaks running instances",
            "add a new column of the new type and migrate to it with Flagway (dual write, backfill, flag-gated reads, contract)"),
    /** NOT NULL that is not proven by a validated check scans (or fails) under an exclusive lock. */
    NOT_NULL_WITHOUT_CHECK("NOT NULL without a proven check scans the table under an exclusive lock, or fails on existing rows",
            "add the column nullable, backfill it, then use SchemaOperation.setNotNull, which validates a CHECK first"),
    /** A plain index build blocks writes for the whole build. */
    NON_CONCURRENT_INDEX("a plain index build on an existing table blocks writes until it finishes",
            "use SchemaOperation.createIndex, which builds concurrently (online) without blocking writes"),
    /** A constraint validated while it is added scans the table under a lock that blocks writes. */
    VALIDATING_CONSTRAINT("a constraint validated while it is added scans the table under a lock that blocks writes",
            "add it NOT VALID and validate it in a separate transaction (the default of addCheck and addForeignKey)"),
    /** Renaming a column breaks every instance that still uses the old name. */
    COLUMN_RENAME("renaming a column breaks every running instance that still reads or writes the old name",
            "add a new column, migrate to it with Flagway, and contract the old one when the gate allows it");

    private final String risk;
    private final String alternative;

    LintRule(String risk, String alternative) {
        this.risk = risk;
        this.alternative = alternative;
    }

    /** What goes wrong when the request runs as it is. */
    public String risk() {
        return risk;
    }

    /** The safe way to reach the same schema. */
    public String alternative() {
        return alternative;
    }
}
