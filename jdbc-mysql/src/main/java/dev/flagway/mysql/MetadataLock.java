package dev.flagway.mysql;

/**
 * One metadata lock on a table, granted or pending.
 *
 * @param session the connection id of its owner
 * @param schema the table's schema
 * @param table the table
 * @param mode the lock type, e.g. {@code SHARED_READ} or {@code MDL_EXCLUSIVE}
 * @param granted whether it is held (false: waited for)
 */
record MetadataLock(long session, String schema, String table, String mode, boolean granted) {
    /** Whether it is on {@code schema.table} (names compared case-insensitively). */
    boolean on(String otherSchema, String otherTable) {
        return schema != null && schema.equalsIgnoreCase(otherSchema) && table != null && table.equalsIgnoreCase(otherTable);
    }

    /** The mode as reported, with "pending" for locks waited for. */
    String describe() {
        return granted ? mode : mode + " (pending)";
    }
}
