package dev.flagway.routing;

import dev.flagway.internal.RateLimitedLogger;
import dev.flagway.Migration;
import dev.flagway.Stage;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.internal.Failures;
import dev.flagway.internal.Identifiers;
import dev.flagway.internal.TargetingKeyContext;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import java.util.Locale;
import java.util.Optional;

/**
 * Asks OpenFeature for a migration's stage. Whatever goes wrong — flag missing, provider not ready,
 * provider throwing, a variant that names no stage — the answer is the migration's default stage;
 * the problem is counted and logged at most once per interval, and never thrown at the caller.
 * The first step of every routed call: the request's key resolves here to one {@link Stage}, which
 * the reader and the writer then follow through the stage's table ({@link Stage#readsModern()},
 * {@link Stage#comparesReads()}, …) without asking again.
 */
final class StageResolver {
    private final Client client;
    private final String flagKey;
    private final String migrationId;
    private final Stage defaultStage;
    private final String defaultValue;
    private final CircuitBreaker breaker;
    private final MigrationMetrics metrics;
    private final RateLimitedLogger problems;

    /** A resolver for {@code migration}'s flag on {@code client}, clamped by {@code breaker} for reads. */
    public StageResolver(Client client, Migration migration, CircuitBreaker breaker, MigrationMetrics metrics,
                         RateLimitedLogger problems) {
        this.client = client;
        this.breaker = breaker;
        this.flagKey = migration.flagKey();
        this.migrationId = migration.id();
        this.defaultStage = migration.defaultStage();
        this.defaultValue = defaultStage.flagValue();
        this.metrics = metrics;
        this.problems = problems;
    }

    /**
     * The stage reads of {@code targetingKey} run in: the flag's stage, clamped to
     * {@link Stage#DUAL_WRITE} while the breaker keeps the modern path off (only stages that compare
     * reads: COMPLETE has no legacy path to fall back to).
     */
    public Stage readStage(String targetingKey) {
        Stage stage = resolve(targetingKey);
        return stage.comparesReads() && !breaker.allowsModern() ? Stage.DUAL_WRITE : stage;
    }

    /** The stage the flag gives {@code targetingKey} (null: evaluated without a targeting key); writes follow it. */
    public Stage resolve(String targetingKey) {
        FlagEvaluationDetails<String> details;
        try {
            details = client.getStringDetails(flagKey, defaultValue,
                    targetingKey == null ? ImmutableContext.EMPTY : new TargetingKeyContext(targetingKey));
        } catch (RuntimeException | LinkageError e) {
            return problem("exception", Failures.describe(e));
        }
        if (details == null) {
            return problem("exception", "the client returned no evaluation details");
        }
        if (details.getErrorCode() != null) {
            return problem(details.getErrorCode().name().toLowerCase(Locale.ROOT),
                    details.getErrorCode() + (details.getErrorMessage() == null ? "" : ": " + details.getErrorMessage()));
        }
        Optional<Stage> stage = Stage.fromFlagValue(details.getValue());
        if (stage.isEmpty()) {
            String value = details.getValue() == null ? "null" : Identifiers.abbreviate(details.getValue());
            return problem("unknown_variant", "value '" + value + "' names no stage"
                    + " (expected one of off, dual_write, shadow, live, ramp_down, complete)");
        }
        return stage.get();
    }

    private Stage problem(String reason, String detail) {
        metrics.flagError(reason);
        problems.warn("Flag '{}' of migration '{}' could not be evaluated ({}); using the default stage {}",
                flagKey, migrationId, detail, defaultValue);
        return defaultStage;
    }
}
