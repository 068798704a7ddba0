package dev.flagway.lifecycle;

import dev.flagway.contract.FlagHistory;
import java.util.List;
import java.util.Optional;

/**
 * A flag store the lifecycle can read and write a migration's flag through, in one change per move.
 * It is also the {@link FlagHistory} the contract gate judges, so a lifecycle cannot be built with a
 * flag it moves but a history it does not see. The {@code flagway-openfeature-provider} module's
 * {@code FlagAdmin} implements it on the application's database. For a flag service Flagway cannot
 * write (LaunchDarkly, flagd through OpenFeature), {@link #readOnly(FlagHistory)} gives one that is not
 * {@link #writable()}: the lifecycle's moves and the rollout controller then record where the flag must
 * stand, and {@link MigrationStatus} says what to set and when.
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
     * Whether Flagway may write this store (true by default). When false, a move does not call
     * {@link #write} and the status's flag instruction names the position an operator must set.
     */
    default boolean writable() {
        return true;
    }

    /**
     * A flag store Flagway judges but cannot write (LaunchDarkly, flagd through OpenFeature): it reads no
     * position, refuses writes, and is not {@link #writable()}.
     *
     * @param history the flag's history as the contract gate needs it, from the flag service's audit trail
     */
    static FlagWriter readOnly(FlagHistory history) {
        java.util.Objects.requireNonNull(history, "flag history");
        return new FlagWriter() {
            @Override
            public Optional<FlagPosition> read(String flagKey) {
                return Optional.empty();
            }

            @Override
            public FlagPosition write(String flagKey, FlagPosition target, String actor, String reason) {
                throw new UnsupportedOperationException("flag '" + flagKey + "' lives in a flag service Flagway "
                        + "cannot write: set it to " + target.describe() + " there");
            }

            @Override
            public boolean writable() {
                return false;
            }

            @Override
            public Optional<java.time.Instant> fullyModernSince(String flagKey) {
                return history.fullyModernSince(flagKey);
            }
        };
    }

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
