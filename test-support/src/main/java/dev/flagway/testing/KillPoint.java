package dev.flagway.testing;

import java.sql.Connection;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The statements of a backfill run at which a test kills the run's session, each recognised by its
 * SQL (jOOQ quotes names with {@code "} on PostgreSQL and H2, with {@code `} on MySQL/MariaDB).
 */
public enum KillPoint {
    /** The keyset query that finds the batch's last key. */
    SELECT,
    /** The batch's UPDATE of the new column (a JDBC batch for a Java transform). */
    UPDATE_BATCH,
    /** The commit of a batch's transaction, after its checkpoint was written in it. */
    CHECKPOINT_COMMIT,
    /** The repair drain's removal of an entry it re-derived. */
    REPAIR_DRAIN;

    /**
     * Sets {@code trap} to run {@code kill} at this point of the {@code occurrence}-th batch (for
     * {@link #REPAIR_DRAIN}, of the {@code occurrence}-th entry drained).
     */
    public void arm(TrapDataSource trap, String table, String checkpointTable, String repairTable, int occurrence,
                    Consumer<Connection> kill) {
        switch (this) {
            case SELECT -> trap.beforeStatement("select .*from " + name(table) + ".*offset", occurrence, kill);
            case UPDATE_BATCH -> trap.beforeStatement(LABEL + "update " + name(table), occurrence, kill);
            case CHECKPOINT_COMMIT -> trap.beforeCommitAfter("into " + name(checkpointTable), occurrence, kill);
            case REPAIR_DRAIN -> trap.beforeStatement(LABEL + "delete from " + name(repairTable), occurrence, kill);
            default -> throw new IllegalStateException("no statement for " + this);
        }
    }

    /** The start of a statement, after the label comment a dialect may put first (MySQL/MariaDB: the backfill's). */
    private static final String LABEL = "^(/\\*.*?\\*/ *)?";

    /** A table name as jOOQ renders it on any dialect. */
    private static String name(String table) {
        return "[\"`]?" + Pattern.quote(table) + "[\"`]? ";
    }
}
