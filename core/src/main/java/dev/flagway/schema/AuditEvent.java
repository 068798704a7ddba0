package dev.flagway.schema;

import dev.flagway.internal.Checks;
import java.time.Instant;

/**
 * A schema change Flagway made or was told to make by force: an expand rollback, a contract.
 *
 * @param at when
 * @param migrationId the migration
 * @param action what, e.g. {@code expand-rollback}, {@code contract}, {@code forced-contract}
 * @param actor who asked for it
 * @param detail the script, the reason or the failure
 */
public record AuditEvent(Instant at, String migrationId, String action, String actor, String detail) {
    /** Checks the fields. */
    public AuditEvent {
        Checks.notNull("audit time", at);
        Checks.notNull("migration id", migrationId);
        Checks.notNull("audit action", action);
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("the actor of " + action + " on migration '" + migrationId
                    + "' must be named");
        }
        Checks.notNull("audit detail", detail);
    }
}
