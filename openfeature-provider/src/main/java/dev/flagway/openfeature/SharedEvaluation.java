package dev.flagway.openfeature;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ProviderEvaluation;

/**
 * A successful result prepared when a flag is compiled and returned by every evaluation that resolves
 * to it, so that an evaluation allocates nothing. {@link ProviderEvaluation} is mutable; the SDK only
 * reads it, and since this instance is shared its setters refuse instead of changing other callers'
 * results.
 */
final class SharedEvaluation<T> extends ProviderEvaluation<T> {

    SharedEvaluation(T value, String variant, String reason, ImmutableMetadata metadata) {
        super(value, variant, reason, null, null, metadata);
    }

    private static UnsupportedOperationException shared() {
        return new UnsupportedOperationException("Flagway shares this evaluation result between calls; copy it to"
                + " change it (ProviderEvaluation.builder())");
    }

    @Override
    public void setValue(T value) {
        throw shared();
    }

    @Override
    public void setVariant(String variant) {
        throw shared();
    }

    @Override
    public void setReason(String reason) {
        throw shared();
    }

    @Override
    public void setErrorCode(ErrorCode errorCode) {
        throw shared();
    }

    @Override
    public void setErrorMessage(String errorMessage) {
        throw shared();
    }

    @Override
    public void setFlagMetadata(ImmutableMetadata flagMetadata) {
        throw shared();
    }
}
