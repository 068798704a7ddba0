package dev.flagway.contract;

import java.time.Instant;
import java.util.Optional;

/**
 * The history of a migration's flag, as far as the contract gate needs it. The DB-backed OpenFeature
 * provider implements it from its audit table; any flag system with an audit trail can.
 */
@FunctionalInterface
public interface FlagHistory {
    /**
     * Since when the flag has served {@code complete} (or {@code live}/{@code ramp_down} to 100% of
     * keys) without interruption.
     *
     * @param flagKey the migration's flag key
     * @return the start of the current uninterrupted modern period, or empty when the flag is not
     *     fully modern now
     */
    Optional<Instant> fullyModernSince(String flagKey);
}
