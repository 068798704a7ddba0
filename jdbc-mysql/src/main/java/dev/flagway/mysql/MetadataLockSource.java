package dev.flagway.mysql;

/**
 * Where lock diagnostics find metadata-lock holders, chosen once per server by
 * {@link MySqlServer#metadataLockSource()}.
 */
public enum MetadataLockSource {
    /** {@code performance_schema.metadata_locks}: granted and pending locks (MySQL 8 by default, MariaDB when enabled). */
    PERFORMANCE_SCHEMA("performance_schema.metadata_locks"),
    /** MariaDB's {@code information_schema.METADATA_LOCK_INFO} plugin: granted locks. */
    METADATA_LOCK_INFO("information_schema.METADATA_LOCK_INFO"),
    /**
     * Nowhere: only the waiting sessions are visible, from their {@code information_schema.PROCESSLIST}
     * state ("Waiting for table metadata lock"); open transactions older than a wait are reported as
     * its possible blockers.
     */
    PROCESSLIST("information_schema.PROCESSLIST states only");

    private final String description;

    MetadataLockSource(String description) {
        this.description = description;
    }

    /** Where the data comes from, for logs. */
    public String description() {
        return description;
    }

    /** What this source cannot show, said plainly; empty for complete sources. */
    public String limitation() {
        return this != PROCESSLIST ? ""
                : "Metadata-lock holders cannot be listed on this server: performance_schema is off (or its "
                + "wait/lock/metadata/sql/mdl instrument is disabled) and MariaDB's METADATA_LOCK_INFO plugin is not "
                + "loaded. Lock diagnostics fall back to information_schema.PROCESSLIST states ('Waiting for table "
                + "metadata lock') and name open transactions older than a wait as its possible blockers. To see "
                + "the holders, load the plugin (INSTALL SONAME 'metadata_lock_info') or start the server with "
                + "performance_schema=ON.";
    }
}
