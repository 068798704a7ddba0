package dev.flagway.openfeature;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.Hook;
import dev.openfeature.sdk.HookContext;
import dev.openfeature.sdk.Metadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OpenFeature hook that counts flag evaluations in Micrometer, for any provider. Register it
 * globally ({@code OpenFeatureAPI.getInstance().addHooks(hook)}) or on a client.
 *
 * <p>Meters, with attribute names from the OpenTelemetry feature-flag semantic conventions:
 * <ul>
 *   <li>{@value #EVALUATIONS} — every evaluation, tagged {@code feature_flag.key},
 *       {@code feature_flag.result.variant} ({@code none} when there is none),
 *       {@code feature_flag.result.reason} (lower-case, e.g. {@code split}, {@code stale}, {@code error})
 *       and {@code feature_flag.provider.name};</li>
 *   <li>{@value #ERRORS} — failed evaluations, tagged {@code feature_flag.key},
 *       {@code feature_flag.provider.name} and {@code error.type} (the lower-case OpenFeature error
 *       code, e.g. {@code flag_not_found}).</li>
 * </ul>
 * Counting happens in {@code finallyAfter}, so each evaluation counts once whatever its outcome.
 * Counters are looked up once per tag combination and cached; the hook never throws.
 */
public final class FlagEvaluationMetricsHook implements Hook<Object> {
    /** The evaluation counter's name. */
    public static final String EVALUATIONS = "feature_flag.evaluations";
    /** The error counter's name. */
    public static final String ERRORS = "feature_flag.evaluation.errors";
    /** Tag: the flag key. */
    public static final String KEY_TAG = "feature_flag.key";
    /** Tag: the variant served. */
    public static final String VARIANT_TAG = "feature_flag.result.variant";
    /** Tag: the evaluation reason. */
    public static final String REASON_TAG = "feature_flag.result.reason";
    /** Tag: the provider's name. */
    public static final String PROVIDER_TAG = "feature_flag.provider.name";
    /** Tag: the error type on {@value #ERRORS}. */
    public static final String ERROR_TYPE_TAG = "error.type";

    private static final String NONE = "none";
    private static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final Map<EvaluationKey, Counter> evaluations = new ConcurrentHashMap<>();
    private final Map<ErrorKey, Counter> errors = new ConcurrentHashMap<>();

    /**
     * @param registry where the counters are registered
     */
    public FlagEvaluationMetricsHook(MeterRegistry registry) {
        if (registry == null) {
            throw new IllegalArgumentException("meter registry must not be null");
        }
        this.registry = registry;
    }

    /** Counts the evaluation (and its error, if any). */
    @Override
    public void finallyAfter(HookContext<Object> ctx, FlagEvaluationDetails<Object> details, Map<String, Object> hints) {
        try {
            String flagKey = details != null && details.getFlagKey() != null ? details.getFlagKey()
                    : ctx != null && ctx.getFlagKey() != null ? ctx.getFlagKey() : UNKNOWN;
            String provider = providerName(ctx);
            String variant = details == null || details.getVariant() == null ? NONE : details.getVariant();
            String reason = details == null || details.getReason() == null ? UNKNOWN : lower(details.getReason());
            evaluations.computeIfAbsent(new EvaluationKey(flagKey, variant, reason, provider), k -> Counter.builder(EVALUATIONS)
                    .description("OpenFeature flag evaluations")
                    .tag(KEY_TAG, k.flagKey).tag(VARIANT_TAG, k.variant).tag(REASON_TAG, k.reason)
                    .tag(PROVIDER_TAG, k.provider)
                    .register(registry)).increment();
            ErrorCode code = details == null ? null : details.getErrorCode();
            if (code != null) {
                errors.computeIfAbsent(new ErrorKey(flagKey, lower(code.name()), provider), k -> Counter.builder(ERRORS)
                        .description("OpenFeature flag evaluations that failed")
                        .tag(KEY_TAG, k.flagKey).tag(ERROR_TYPE_TAG, k.errorType).tag(PROVIDER_TAG, k.provider)
                        .register(registry)).increment();
            }
        } catch (RuntimeException ignored) {
            // Metrics must never break an evaluation.
        }
    }

    private static String providerName(HookContext<Object> ctx) {
        Metadata metadata = ctx == null ? null : ctx.getProviderMetadata();
        String name = metadata == null ? null : metadata.getName();
        return name == null ? UNKNOWN : name;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private record EvaluationKey(String flagKey, String variant, String reason, String provider) {
    }

    private record ErrorKey(String flagKey, String errorType, String provider) {
    }
}
