package dev.flagway.lifecycle;

import java.time.Instant;

/**
 * One recorded change of a migration's flag, as its store's audit trail keeps it; the runbook lists them.
 *
 * @param at when
 * @param version the flag's version after the change
 * @param action what kind of change, e.g. {@code SET_ROLLOUT}
 * @param position what the flag served afterwards in words ({@link FlagPosition#describe()}), or
 *     {@code deleted}
 * @param actor who made it
 * @param reason why, or null when none was given
 */
public record FlagChange(Instant at, long version, String action, String position, String actor, String reason) {
}
