package dev.flagway.openfeature;

import java.time.Instant;

/**
 * One change of a flag, as recorded in the audit table in the same transaction as the change.
 *
 * @param flagKey the flag key
 * @param version the flag's version after the change (for a delete: the version the delete consumed);
 *     entries of one flag are ordered by it
 * @param action what kind of change it was
 * @param actor who made it, e.g. an operator's name or {@code circuit-breaker}
 * @param reason why, or null when none was given
 * @param changedAt when (millisecond precision)
 * @param before the definition before the change, null for {@link FlagAction#CREATE}
 * @param after the definition after the change, null for {@link FlagAction#DELETE}
 */
public record FlagAuditEntry(String flagKey, long version, FlagAction action, String actor, String reason,
                             Instant changedAt, FlagDefinition before, FlagDefinition after) {
}
