package dev.flagway.schema;

/**
 * Where Flagway records the schema changes it makes outside the normal flow (expand rollbacks,
 * contracts, forced contracts). {@link JdbcAuditLog} keeps them in a table; implement it to send
 * them to an existing audit system instead.
 */
@FunctionalInterface
public interface AuditSink {
    /**
     * Records an event. A failure propagates: an audited change must not go unrecorded silently.
     */
    void record(AuditEvent event);
}
