package dev.flagway.routing;

import dev.flagway.internal.RateLimitedLogger;
import dev.flagway.FallbackListener;
import dev.flagway.Migration;
import dev.flagway.ShadowConfig;
import dev.flagway.Stage;
import dev.flagway.TargetingContext;
import dev.flagway.ThrowingSupplier;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.internal.Failures;
import dev.flagway.routing.MigrationMetrics.Path;
import dev.flagway.routing.MigrationMetrics.ShadowOutcome;

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
 * the fallback counted. A key {@linkplain MigrationRuntime#pinnedToLegacy pinned to the legacy column}
 * (its modern value is known to be stale) is read from the legacy column in LIVE and RAMP_DOWN, and
 * not shadow-compared. A failing legacy read is the caller's error, as it would be without Flagway.
 */
public final class FlagRoutedReader {
    /** Stands for a failed re-read of the primary path; equal to no result. */
    private static final Object REREAD_FAILED = new Object();

    private final String migrationId;
    private final StageResolver stages;
    private final PinnedKeys pins;
    private final CircuitBreaker breaker;
    private final MigrationMetrics metrics;
    private final ShadowExecutor shadow;
    private final ShadowConfig shadowConfig;
    private final long shadowTimeoutNanos;
    private final boolean timesLegacy;
    private final FallbackListener fallbackListener;
    private final RateLimitedLogger fallbackLog;
    private final RateLimitedLogger mismatchLog;

    FlagRoutedReader(Migration migration, StageResolver stages, CircuitBreaker breaker, MigrationMetrics metrics,
                     PinnedKeys pins, ShadowExecutor shadow, FallbackListener fallbackListener, long logIntervalNanos) {
        this.migrationId = migration.id();
        this.stages = stages;
        this.pins = pins;
        this.breaker = breaker;
        this.metrics = metrics;
        this.shadow = shadow;
        this.fallbackListener = fallbackListener;
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
    @SuppressWarnings("unchecked")
    public <T, X extends Throwable> T read(String targetingKey, ThrowingSupplier<T, X> legacy,
                                           ThrowingSupplier<T, X> modern, ThrowingSupplier<T, X> fallback) throws X {
        return (T) route(targetingKey, Paths.<X>suppliers(), legacy, modern, fallback);
    }

    /**
     * Routes one read: the key resolves once to its stage, whose table picks the path (legacy, or
     * modern with or without a legacy fallback) and whether the other path is compared; {@code paths}
     * then runs on the argument of the path chosen.
     */
    <A, X extends Throwable> Object route(String targetingKey, Paths<A, X> paths, A legacy, A modern, A fallback)
            throws X {
        Stage stage = stages.readStage(targetingKey);
        if (!stage.readsModern()) {
            Object primary = legacy(stage, paths, legacy, false);
            if (stage.comparesReads() && Sampler.sampled(targetingKey, shadowConfig.sampleRate(), shadowConfig.deterministic())
                    && !pins.pinned(targetingKey)) {
                compareOffThread(targetingKey, primary, paths, legacy, modern, true);
            }
            return primary;
        }
        if (!stage.fallsBackToLegacy()) {
            return modernOnly(stage, paths, modern);
        }
        if (pins.pinned(targetingKey)) {
            return legacy(stage, paths, legacy, false);
        }
        return modernWithFallback(stage, targetingKey, paths, legacy, modern, fallback);
    }

    /** The legacy read, or with {@code asFallback} the fallback read, timed when the breaker compares p95s. */
    private <A, X extends Throwable> Object legacy(Stage stage, Paths<A, X> paths, A argument, boolean asFallback)
            throws X {
        long start = timesLegacy ? breaker.now() : 0L;
        Object result;
        try {
            result = asFallback ? paths.fallback(argument) : paths.legacy(argument);
        } catch (Throwable t) {
            metrics.read(stage, Path.LEGACY, false);
            throw t;
        }
        if (timesLegacy) {
            breaker.recordLegacyLatencySince(start);
        }
        metrics.read(stage, Path.LEGACY, true);
        return result;
    }

    private <A, X extends Throwable> Object modernWithFallback(Stage stage, String key, Paths<A, X> paths, A legacy,
                                                              A modern, A fallback) throws X {
        long call = breaker.startModernCall();
        Object result;
        try {
            result = paths.modern(modern);
        } catch (Throwable t) {
            Failures.rethrowIfFatal(t);
            breaker.endModernCall(call, true);
            metrics.read(stage, Path.MODERN, false);
            metrics.fallback(stage);
            if (fallbackListener != null) {
                fallbackListener.onFallback(migrationId);
            }
            fallbackLog.warn("Modern read of migration '{}' failed for key {}; answered from the legacy column: {}",
                    migrationId, key, Failures.describe(t));
            return legacy(stage, paths, fallback, true);
        }
        breaker.endModernCall(call, false);
        metrics.read(stage, Path.MODERN, true);
        if (stage.comparesReads() && Sampler.sampled(key, shadowConfig.liveSampleRate(), shadowConfig.deterministic())) {
            compareOffThread(key, result, paths, legacy, modern, false);
        }
        return result;
    }

    private <A, X extends Throwable> Object modernOnly(Stage stage, Paths<A, X> paths, A modern) throws X {
        Object result;
        try {
            result = paths.modern(modern);
        } catch (Throwable t) {
            metrics.read(stage, Path.MODERN, false);
            throw t;
        }
        metrics.read(stage, Path.MODERN, true);
        return result;
    }

    /**
     * Runs the other path on the shadow pool and compares. {@code shadowIsModern}: the shadow read is
     * the modern one (SHADOW stage) and its outcome and latency feed the breaker; otherwise it is the
     * legacy one (LIVE sampling) and only the comparison and legacy latency do. A disagreement is
     * confirmed by reading the primary path once more: a write that landed between the two reads
     * makes the first primary result stale, and is not a mismatch. Nor is a disagreement found once the
     * key's stage has moved on to one that no longer writes legacy (complete): a write since then
     * went to the new column alone, so the pair proves nothing; it counts as superseded.
     */
    private <A> void compareOffThread(String key, Object primary, Paths<A, ?> paths, A legacy, A modern,
                                      boolean shadowIsModern) {
        ShadowExecutor.Task task = new ShadowExecutor.Task() {
            @Override
            protected Object call() throws Throwable {
                return shadowIsModern ? paths.modern(modern) : paths.legacy(legacy);
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
                if (!matched && !stages.resolve(key).writesLegacy()) {
                    metrics.shadow(ShadowOutcome.SUPERSEDED);
                    return;
                }
                breaker.recordComparison(matched);
                metrics.shadow(matched ? ShadowOutcome.MATCH : ShadowOutcome.MISMATCH);
                if (!matched) {
                    mismatchLog.warn("Shadow read of migration '{}' disagrees for key {}", migrationId, key);
                }
            }

            private boolean agree(Object primaryResult, Object shadowResult) {
                return shadowIsModern ? matches(primaryResult, shadowResult) : matches(shadowResult, primaryResult);
            }

            private Object reread() {
                try {
                    return shadowIsModern ? paths.legacy(legacy) : paths.modern(modern);
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
