package dev.flagway.openfeature;

import dev.flagway.Stage;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import java.nio.charset.StandardCharsets;

/**
 * One flag of the provider's snapshot, prepared at refresh time so that an evaluation is a map
 * lookup and at most one hash: typed values, variant names, reasons, metadata and the results
 * themselves are all built here, never per call (except a result holding the caller's default or
 * an integer narrowed from the stored long).
 */
final class CompiledFlag {
    /** The total weight of a percentage rollout: hundredths of a percent. */
    static final int TOTAL_WEIGHT = 10_000;

    final String key;
    final long version;
    final FlagType type;
    final boolean enabled;
    final String disabledReason;
    /** Non-null when the row cannot be served; evaluations then return PARSE_ERROR with this message. */
    final String parseError;
    /** The rollout share in basis points while keys are split, for messages. */
    final int splitBasisPoints;

    /** The outcome for every key, or null while keys are split. */
    private final Outcome uniform;
    private final Outcome inRollout;
    private final Outcome outsideRollout;
    private final int[] weights;
    /**
     * The hash state after the key's UTF-8 bytes; null when the key ends in a high surrogate, which may pair
     * with the targeting key's first character (then the concatenation is hashed).
     */
    private final Murmur3 keyHash;

    private CompiledFlag(String key, long version, FlagType type, boolean enabled, String disabledReason,
                         String parseError, Outcome uniform, Outcome inRollout, Outcome outsideRollout,
                         int splitBasisPoints) {
        this.key = key;
        this.version = version;
        this.type = type;
        this.enabled = enabled;
        this.disabledReason = disabledReason;
        this.parseError = parseError;
        this.uniform = uniform;
        this.inRollout = inRollout;
        this.outsideRollout = outsideRollout;
        this.splitBasisPoints = splitBasisPoints;
        this.weights = uniform == null ? new int[] {splitBasisPoints, TOTAL_WEIGHT - splitBasisPoints} : null;
        this.keyHash = !key.isEmpty() && Character.isHighSurrogate(key.charAt(key.length() - 1))
                ? null : new Murmur3(key.getBytes(StandardCharsets.UTF_8));
    }

    /** Prepares a stored row; a row that cannot be served becomes a flag that answers PARSE_ERROR. */
    static CompiledFlag compile(FlagStore.FlagRow row) {
        FlagType type = FlagType.fromColumnValue(row.type()).orElse(null);
        if (type == null) {
            return broken(row, null, "flag '" + row.key() + "' has an unknown value_type '" + row.type() + "'");
        }
        try {
            return compile(row, type);
        } catch (IllegalArgumentException e) {
            return broken(row, type, "flag '" + row.key() + "' cannot be served: " + e.getMessage());
        }
    }

    private static CompiledFlag broken(FlagStore.FlagRow row, FlagType type, String message) {
        return new CompiledFlag(row.key(), row.version(), type, row.enabled(), row.disabledReason(), message,
                null, null, null, 0);
    }

    private static CompiledFlag compile(FlagStore.FlagRow row, FlagType type) {
        String key = row.key();
        Object base = Variants.typedValue(type, row.baseVariant(), "base variant");
        String baseName = variantName(type, row.baseVariant(), "base");
        Object rollout = null;
        String rolloutName = null;
        int bp = 0;
        if (row.rolloutVariant() != null) {
            rollout = Variants.typedValue(type, row.rolloutVariant(), "rollout variant");
            rolloutName = variantName(type, row.rolloutVariant(), "rollout");
            double pct = row.rolloutPercent() == null ? 0.0 : row.rolloutPercent().doubleValue();
            if (!(pct >= 0.0 && pct <= 100.0)) {
                throw new IllegalArgumentException("rollout percentage " + row.rolloutPercent() + " is not between 0 and 100");
            }
            bp = (int) Math.round(pct * 100.0);
        }
        ImmutableMetadata.ImmutableMetadataBuilder meta = ImmutableMetadata.builder().addLong("version", row.version());
        if (!row.enabled() && row.disabledReason() != null) {
            meta.addString("disabledReason", row.disabledReason());
        }
        ImmutableMetadata metadata = meta.build();

        String reason;
        if (row.enabled()) {
            reason = null;
        } else if (type == FlagType.STAGE) {
            // Disabled migration: every stage clamped to dual_write at most (off and complete stay).
            Stage clampedBase = clamp((String) base);
            base = clampedBase.flagValue();
            baseName = clampedBase.flagValue();
            if (rollout != null) {
                Stage clampedRollout = clamp((String) rollout);
                rollout = clampedRollout.flagValue();
                rolloutName = clampedRollout.flagValue();
                if (clampedRollout == clampedBase) {
                    rollout = null;
                }
            }
            reason = Reason.DISABLED.name();
        } else {
            // Disabled ordinary flag: the caller's default value.
            Outcome disabled = new Outcome(null, null, Reason.DISABLED.name(), metadata);
            return new CompiledFlag(key, row.version(), type, false, row.disabledReason(), null, disabled, null, null, 0);
        }
        String uniformReason = reason == null ? Reason.STATIC.name() : reason;
        String splitReason = reason == null ? Reason.SPLIT.name() : reason;
        if (rollout == null || bp == 0) {
            return new CompiledFlag(key, row.version(), type, row.enabled(), row.disabledReason(), null,
                    new Outcome(base, baseName, uniformReason, metadata), null, null, 0);
        }
        if (bp == TOTAL_WEIGHT) {
            return new CompiledFlag(key, row.version(), type, row.enabled(), row.disabledReason(), null,
                    new Outcome(rollout, rolloutName, uniformReason, metadata), null, null, 0);
        }
        return new CompiledFlag(key, row.version(), type, row.enabled(), row.disabledReason(), null, null,
                new Outcome(rollout, rolloutName, splitReason, metadata),
                new Outcome(base, baseName, splitReason, metadata), bp);
    }

    /** The stage a disabled migration flag serves instead of {@code stage}. */
    static Stage clamp(String stageValue) {
        Stage stage = Stage.fromFlagValue(stageValue).orElseThrow(() ->
                new IllegalArgumentException("'" + stageValue + "' is not a stage"));
        switch (stage) {
            case OFF:
            case DUAL_WRITE:
            case COMPLETE:
                return stage;
            default:
                return Stage.DUAL_WRITE;
        }
    }

    private static String variantName(FlagType type, String text, String side) {
        // Object values can be long JSON: name them by side rather than by content.
        return type == FlagType.OBJECT ? side : Variants.canonical(type, text, side + " variant");
    }

    /** Whether this flag needs a targeting key to be evaluated. */
    boolean isSplit() {
        return uniform == null && parseError == null;
    }

    /**
     * The outcome for an evaluation context, whose targeting key is read only when keys are split (the
     * SDK's {@code ImmutableContext} copies the value on every read).
     *
     * @param ctx the context, possibly null
     * @return the outcome, or null when keys are split and the context has no targeting key or an empty one
     */
    Outcome resolve(EvaluationContext ctx) {
        if (uniform != null) {
            return uniform;
        }
        String targetingKey = ctx == null ? null : ctx.getTargetingKey();
        if (targetingKey == null || targetingKey.isEmpty()) {
            return null;
        }
        int hash = keyHash != null ? keyHash.hash(targetingKey) : Murmur3.hash32(key + targetingKey);
        return FractionalBucketing.pickUnchecked(hash, weights, TOTAL_WEIGHT) == 0 ? inRollout : outsideRollout;
    }

    /** A prepared evaluation result. */
    static final class Outcome {
        /** The typed value, or null for "the caller's default". */
        final Object value;
        final String variant;
        final String reason;
        final ImmutableMetadata metadata;
        /** The result as served fresh and while refreshes fail; null when the value is the caller's default. */
        private final ProviderEvaluation<?> fresh;
        private final ProviderEvaluation<?> stale;

        Outcome(Object value, String variant, String reason, ImmutableMetadata metadata) {
            this.value = value;
            this.variant = variant;
            this.reason = reason;
            this.metadata = metadata;
            this.fresh = value == null ? null : new SharedEvaluation<>(value, variant, reason, metadata);
            this.stale = value == null ? null : new SharedEvaluation<>(value, variant, FlagwayProvider.STALE_REASON,
                    metadata);
        }

        /**
         * The prepared result holding {@link #value} as it is, with reason {@link #reason} or, when
         * {@code stale}, {@link FlagwayProvider#STALE_REASON}; null when the value is the caller's default.
         */
        ProviderEvaluation<?> prepared(boolean stale) {
            return stale ? this.stale : fresh;
        }
    }
}
