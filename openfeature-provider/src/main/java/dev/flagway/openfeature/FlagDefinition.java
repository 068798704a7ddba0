package dev.flagway.openfeature;

import dev.flagway.Stage;
import java.util.Optional;

/**
 * What a flag serves: its type, whether it is enabled, the base variant served to keys outside the
 * rollout, and optionally a rollout variant served to {@code rolloutPercentage}% of targeting keys.
 * For {@link FlagType#STAGE migration flags} the variants are stage flag values such as {@code live}.
 *
 * <p>Variants are held in their canonical text form: {@code true}/{@code false}, a decimal integer,
 * {@link Double#toString(double)} text, a stage flag value, the string itself, or JSON text.
 *
 * @param type the flag's type
 * @param enabled whether the flag is enabled; a disabled migration flag serves its stages clamped to
 *     {@code dual_write}, any other disabled flag serves the caller's default value
 * @param baseVariant the variant served outside the rollout (never null)
 * @param rolloutVariant the variant served inside the rollout, or null for no rollout
 * @param rolloutPercentage the rollout share in percent, 0 to 100 with at most two decimals; 0 without a rollout
 * @param disabledReason why the flag was disabled, or null while it is enabled
 */
public record FlagDefinition(FlagType type, boolean enabled, String baseVariant, String rolloutVariant,
                             double rolloutPercentage, String disabledReason) {

    /** Checks the invariants that hold for every definition. */
    public FlagDefinition {
        if (type == null) {
            throw new IllegalArgumentException("flag type must not be null");
        }
        if (baseVariant == null) {
            throw new IllegalArgumentException("base variant must not be null");
        }
        if (!(rolloutPercentage >= 0.0 && rolloutPercentage <= 100.0)) {
            throw new IllegalArgumentException("rollout percentage must be between 0 and 100 but was "
                    + rolloutPercentage);
        }
        if (rolloutVariant == null && rolloutPercentage != 0.0) {
            throw new IllegalArgumentException("a rollout percentage of " + rolloutPercentage
                    + " needs a rollout variant");
        }
    }

    /** Whether a rollout variant is set (at any percentage, including 0). */
    public boolean hasRollout() {
        return rolloutVariant != null;
    }

    /** For a migration flag, the base stage; empty for other types or an unknown stage name. */
    public Optional<Stage> baseStage() {
        return type == FlagType.STAGE ? Stage.fromFlagValue(baseVariant) : Optional.empty();
    }

    /** For a migration flag with a rollout, the rollout stage; empty otherwise. */
    public Optional<Stage> rolloutStage() {
        return type == FlagType.STAGE && rolloutVariant != null ? Stage.fromFlagValue(rolloutVariant) : Optional.empty();
    }

    /**
     * The variant every targeting key gets while the flag is enabled: the base variant without a
     * rollout or at 0%, the rollout variant at 100%; empty while keys are split between the two.
     */
    public Optional<String> uniformVariant() {
        if (rolloutVariant == null || rolloutPercentage == 0.0) {
            return Optional.of(baseVariant);
        }
        if (rolloutPercentage == 100.0) {
            return Optional.of(rolloutVariant);
        }
        return Optional.empty();
    }

    /**
     * Whether the flag is enabled and serves {@code stage} to every targeting key, e.g. a migration
     * at {@code complete} for 100% of keys.
     */
    public boolean servesEveryKey(Stage stage) {
        return enabled && type == FlagType.STAGE && stage != null
                && uniformVariant().map(v -> v.equals(stage.flagValue())).orElse(false);
    }

    /** The rollout percentage in hundredths of a percent (basis points), 0 to 10,000. */
    int rolloutBasisPoints() {
        return (int) Math.round(rolloutPercentage * 100.0);
    }

    FlagDefinition withBaseVariant(String variant) {
        // A rollout to the new base variant would be a no-op: the rollout is folded into the base.
        String rollout = variant.equals(rolloutVariant) ? null : rolloutVariant;
        return new FlagDefinition(type, enabled, variant, rollout, rollout == null ? 0.0 : rolloutPercentage, disabledReason);
    }

    FlagDefinition withRollout(String variant, double percentage) {
        return new FlagDefinition(type, enabled, baseVariant, variant, percentage, disabledReason);
    }

    FlagDefinition withoutRollout() {
        return new FlagDefinition(type, enabled, baseVariant, null, 0.0, disabledReason);
    }

    FlagDefinition disabled(String reason) {
        return new FlagDefinition(type, false, baseVariant, rolloutVariant, rolloutPercentage, reason);
    }

    FlagDefinition enabledAgain() {
        return new FlagDefinition(type, true, baseVariant, rolloutVariant, rolloutPercentage, null);
    }
}
