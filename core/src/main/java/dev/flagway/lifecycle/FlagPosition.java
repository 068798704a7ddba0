package dev.flagway.lifecycle;

import dev.flagway.Stage;
import dev.flagway.internal.Checks;

/**
 * Where a migration flag stands: the stage served to every key outside the rollout, an optional
 * rollout stage served to a share of the keys, and whether the flag is enabled (a disabled flag
 * serves its stages clamped to {@code dual_write}, e.g. after a circuit breaker tripped).
 *
 * @param base the stage served outside the rollout
 * @param rolloutStage the stage rolled out to {@code rolloutPercent}% of keys, or null for none
 * @param rolloutPercent the rollout's share, 0 without a rollout
 * @param enabled whether the flag is enabled
 * @param disabledReason why it is disabled, or null
 */
public record FlagPosition(Stage base, Stage rolloutStage, double rolloutPercent, boolean enabled,
                           String disabledReason) {
    /** Checks the position. */
    public FlagPosition {
        Checks.notNull("base stage", base);
        if (rolloutStage == null && rolloutPercent != 0.0) {
            throw new IllegalArgumentException("a flag without a rollout stage has no rollout share, but "
                    + rolloutPercent + "% was given");
        }
        if (!(rolloutPercent >= 0.0 && rolloutPercent <= 100.0)) {
            throw new IllegalArgumentException("rollout share must be between 0 and 100 but was " + rolloutPercent);
        }
        if (rolloutStage == base) {
            throw new IllegalArgumentException("rollout stage " + rolloutStage.flagValue()
                    + " must differ from the base stage");
        }
    }

    /** An enabled flag serving {@code stage} to every key. */
    public static FlagPosition everyKey(Stage stage) {
        return new FlagPosition(stage, null, 0.0, true, null);
    }

    /** An enabled flag serving {@code rolloutStage} to {@code percent}% of keys and {@code base} to the others. */
    public static FlagPosition rollout(Stage base, Stage rolloutStage, double percent) {
        Checks.notNull("rollout stage", rolloutStage);
        return new FlagPosition(base, rolloutStage, percent, true, null);
    }

    /** Whether it has a rollout. */
    public boolean hasRollout() {
        return rolloutStage != null;
    }

    /** The position in words, e.g. {@code shadow, live to 10.0% of keys}. */
    public String describe() {
        String text = base.flagValue() + (hasRollout() ? ", " + rolloutStage.flagValue() + " to " + rolloutPercent
                + "% of keys" : " to every key");
        return enabled ? text : text + " (disabled: " + disabledReason + ")";
    }
}
