package dev.flagway.mysql;

/**
 * The MySQL/MariaDB-specific reasons the dialect refuses a schema request before anything runs,
 * each with its safe alternative. (The rules every database shares are in
 * {@link dev.flagway.schema.LintRule}.)
 */
public enum MySqlRisk {
    /** The server can only do this with ALGORITHM=COPY, which blocks writes for the whole copy. */
    FORCES_TABLE_COPY("the server can only do this by copying the table (ALGORITHM=COPY), which blocks writes "
            + "(LOCK=SHARED) until the copy finishes",
            "reach the same schema with an online change (add a new column and migrate to it with Flagway), or "
            + "allow it explicitly for a maintenance window with MySqlSettings.builder().allowBlockingDdl(reason)"),
    /** The server can only do this in place while blocking writes (LOCK=SHARED). */
    BLOCKS_WRITES("the server can only do this while blocking writes to the table (LOCK=SHARED) until it finishes",
            "allow it explicitly for a maintenance window with MySqlSettings.builder().allowBlockingDdl(reason), or "
            + "change the table so that the server can work online"),
    /** A view, trigger or generated column still reads the column to drop. */
    COLUMN_STILL_READ("the column is still read by the database objects listed; dropping it would break them",
            "change or drop those objects first, then contract the column");

    private final String risk;
    private final String alternative;

    MySqlRisk(String risk, String alternative) {
        this.risk = risk;
        this.alternative = alternative;
    }

    /** What goes wrong when the request runs as it is. */
    public String risk() {
        return risk;
    }

    /** The safe way to reach the same goal. */
    public String alternative() {
        return alternative;
    }
}
