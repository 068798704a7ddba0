package dev.flagway.lifecycle;

import dev.flagway.contract.FlagHistory;
import java.util.List;
import java.util.Optional;

/**
 * A flag store the lifecycle can read and write a migration's flag through, in one change per move.
 * It is also the {@link FlagHistory} the contract gate judges, so a lifecycle cannot be built with a
 * flag it moves but a history it does not see. The {@code flagway-openfeature-provider} module's
 * {@code FlagAdmin} implements it on the application's database; a flag service Flagway cannot
 * write (LaunchDarkly, flagd through OpenFeature) has no implementation.
 *
 * <p>Implementations are thread-safe and guard each write with their own concurrency check.
 */
public interface FlagWriter extends FlagHistory {
    /**
     * The flag as it is now.
     *
     * @param flagKey the migration's flag key
     * @return its position, or empty when the flag does not exist
     */
    Optional<FlagPosition> read(String flagKey);

    /**
     * Sets the flag to {@code target} in one change (base stage, rollout and enabled state
     * together), creating it when missing, audited with {@code actor} and {@code reason}.
     *
     * @param flagKey the migration's flag key
     * @param target where the flag must stand afterwards
     * @param actor who moves it
     * @param reason why
     * @return the flag's position afterwards
     */
    FlagPosition write(String flagKey, FlagPosition target, String actor, String reason);

    /**
     * The flag's recorded changes, oldest first, for the runbook's audit trail; empty when the store
     * keeps no history (the default) or the flag never existed.
     *
     * @param flagKey the migration's flag key
     */
    default List<FlagChange> changes(String flagKey) {
        return List.of();
    }
}
