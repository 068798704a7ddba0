package dev.flagway;

import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.internal.Failures;
import dev.flagway.internal.MigrationMetrics;
import dev.flagway.internal.MigrationMetrics.Path;
import dev.flagway.internal.MigrationMetrics.ShadowOutcome;
import dev.flagway.internal.RateLimitedLogger;
import dev.flagway.internal.Sampler;
import dev.flagway.internal.ShadowExecutor;

/**
 * Routes a read to the legacy or the modern column by the request's stage: legacy until
 * {@link Stage#LIVE}, modern from LIVE on with the legacy read as fallback, modern only in
 * {@link Stage#COMPLETE}. In {@link Stage#SHADOW} (and for a sampled share in LIVE and RAMP_DOWN)
 * the other path is read off the caller's thread and compared. Usable directly with lambdas:
 *
 * <pre>{@code
 * String email = flagway.migration("users-email").reader().read(userId,
 *         () -> legacyEmail(userId), () -> normalizedEmail(userId));
 * }</pre>
 *
 * A failing modern read never reaches the caller before COMPLETE: the legacy result is returned and
 * the fallback counted. A failing legacy read is the caller's error, as it would be without Flagway.
 */
public final class FlagRoutedReader {
    /** Stands for a failed re-read of the primary path; equal to no result. */
    private static final Object REREAD_FAILED = new Object();

    private final MigrationRuntime runtime;
    private final CircuitBreaker breaker;
    private final MigrationMetrics metrics;
    private final ShadowExecutor shadow;
    private final ShadowConfig shadowConfig;
    private final long shadowTimeoutNanos;
    private final boolean timesLegacy;
    private final RateLimitedLogger fallbackLog;
    private final RateLimitedLogger mismatchLog;

    FlagRoutedReader(MigrationRuntime runtime, ShadowExecutor shadow, long logIntervalNanos) {
        Migration migration = runtime.migration();
        this.runtime = runtime;
        this.breaker = runtime.breaker();
        this.metrics = runtime.metrics();
        this.shadow = shadow;
        this.shadowConfig = migration.shadow();
        this.shadowTimeoutNanos = shadowConfig.timeout().toNanos();
        this.timesLegacy = migration.breaker().p95LegacyRatioThreshold().isPresent();
        this.fallbackLog = RateLimitedLogger.of(FlagRoutedReader.class, logIntervalNanos);
        this.mismatchLog = RateLimitedLogger.of(FlagRoutedReader.class, logIntervalNanos);
    }

    /** Reads with the targeting key of {@link TargetingContext#current()}. */
    public <T, X extends Throwable> T read(ThrowingSupplier<T, X> legacy, ThrowingSupplier<T, X> modern) throws X {
        return read(TargetingContext.current(), legacy, modern, legacy);
    }

    /** Reads for {@code targetingKey} (null: evaluated without one); the legacy read is also the fallback. */
    public <T, X extends Throwable> T read(String targetingKey, ThrowingSupplier<T, X> legacy,
                                           ThrowingSupplier<T, X> modern) throws X {
        return read(targetingKey, legacy, modern, legacy);
    }

    /**
     * Reads for {@code targetingKey}, with a fallback other than the legacy read for a failed modern
     * read.
     */
    public <T, X extends Throwable> T read(String targetingKey, ThrowingSupplier<T, X> legacy,
                                           ThrowingSupplier<T, X> modern, ThrowingSupplier<T, X> fallback) throws X {
        Stage stage = runtime.clamp(runtime.flagStage(targetingKey));
        switch (stage) {
            case SHADOW:
                T primary = legacy(stage, legacy);
                if (Sampler.sampled(targetingKey, shadowConfig.sampleRate(), shadowConfig.deterministic())) {
                    compareOffThread(targetingKey, primary, legacy, modern, true);
                }
                return primary;
            case LIVE:
            case RAMP_DOWN:
                return modernWithFallback(stage, targetingKey, legacy, modern, fallback);
            case COMPLETE:
                return modernOnly(modern);
            default:
                return legacy(stage, legacy);
        }
    }

    private <T, X extends Throwable> T legacy(Stage stage, ThrowingSupplier<T, X> legacy) throws X {
        long start = timesLegacy ? System.nanoTime() : 0L;
        T result;
        try {
            result = legacy.get();
        } catch (Throwable t) {
            metrics.read(stage, Path.LEGACY, false);
            throw t;
        }
        if (timesLegacy) {
            breaker.recordLegacyLatency(System.nanoTime() - start);
        }
        metrics.read(stage, Path.LEGACY, true);
        return result;
    }

    private <T, X extends Throwable> T modernWithFallback(Stage stage, String key, ThrowingSupplier<T, X> legacy,
                                                         ThrowingSupplier<T, X> modern,
                                                         ThrowingSupplier<T, X> fallback) throws X {
        long start = System.nanoTime();
        T result;
        try {
            result = modern.get();
        } catch (Throwable t) {
            Failures.rethrowIfFatal(t);
            breaker.recordModernFailure(System.nanoTime() - start);
            metrics.read(stage, Path.MODERN, false);
            metrics.fallback(stage);
            runtime.fallbackRecorded();
            fallbackLog.warn("Modern read of migration '{}' failed for key {}; answered from the legacy column: {}",
                    runtime.migration().id(), key, Failures.describe(t));
            return legacy(stage, fallback);
        }
        breaker.recordModernSuccess(System.nanoTime() - start);
        metrics.read(stage, Path.MODERN, true);
        if (Sampler.sampled(key, shadowConfig.liveSampleRate(), shadowConfig.deterministic())) {
            compareOffThread(key, result, modern, legacy, false);
        }
        return result;
    }

    private <T, X extends Throwable> T modernOnly(ThrowingSupplier<T, X> modern) throws X {
        T result;
        try {
            result = modern.get();
        } catch (Throwable t) {
            metrics.read(Stage.COMPLETE, Path.MODERN, false);
            throw t;
        }
        metrics.read(Stage.COMPLETE, Path.MODERN, true);
        return result;
    }

    /**
     * Runs the other path on the shadow pool and compares. {@code shadowIsModern}: the shadow read is
     * the modern one (SHADOW stage) and its outcome and latency feed the breaker; otherwise it is the
     * legacy one (LIVE sampling) and only the comparison and legacy latency do. A disagreement is
     * confirmed by reading the primary path once more: a write that landed between the two reads
     * makes the first primary result stale, and is not a mismatch.
     */
    private void compareOffThread(String key, Object primary, ThrowingSupplier<?, ?> primaryPath,
                                  ThrowingSupplier<?, ?> other, boolean shadowIsModern) {
        ShadowExecutor.Task task = new ShadowExecutor.Task() {
            @Override
            protected Object call() throws Throwable {
                return other.get();
            }

            @Override
            protected void completed(Object result, Throwable error, long elapsedNanos) {
                if (error != null) {
                    if (shadowIsModern) {
                        breaker.recordModernFailure(elapsedNanos);
                    }
                    metrics.shadow(ShadowOutcome.FAILURE);
                    return;
                }
                if (shadowIsModern) {
                    breaker.recordModernSuccess(elapsedNanos);
                } else if (timesLegacy) {
                    breaker.recordLegacyLatency(elapsedNanos);
                }
                boolean matched = agree(primary, result) || agree(reread(), result);
                breaker.recordComparison(matched);
                metrics.shadow(matched ? ShadowOutcome.MATCH : ShadowOutcome.MISMATCH);
                if (!matched) {
                    mismatchLog.warn("Shadow read of migration '{}' disagrees for key {}", runtime.migration().id(), key);
                }
            }

            private boolean agree(Object primaryResult, Object shadowResult) {
                return shadowIsModern ? matches(primaryResult, shadowResult) : matches(shadowResult, primaryResult);
            }

            private Object reread() {
                try {
                    return primaryPath.get();
                } catch (Throwable t) {
                    Failures.rethrowIfFatal(t);
                    return REREAD_FAILED;
                }
            }

            @Override
            protected void timedOut() {
                if (shadowIsModern) {
                    breaker.recordModernFailure(shadowTimeoutNanos);
                }
                metrics.shadow(ShadowOutcome.TIMEOUT);
            }
        };
        if (!shadow.submit(task, shadowTimeoutNanos)) {
            metrics.shadow(ShadowOutcome.DROPPED);
        }
    }

    private boolean matches(Object legacy, Object modern) {
        try {
            return shadowConfig.comparator().matches(legacy, modern);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
