package dev.flagway.lifecycle;

import dev.flagway.breaker.BreakerConfig;
import dev.flagway.internal.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rollout controller's judgement of the fleet's health of one migration since its current step
 * started, read from the fleet health table: the first breach found (which instance, which metric,
 * its value against the threshold), or none, and the evidence in words.
 *
 * <p>A breach is any breaker open on an instance that still publishes, any fallback, any shadow
 * mismatch, an instance's error rate above the breaker's threshold over at least the breaker's
 * minimum calls, or an instance's modern p95 above the breaker's SLA or above its multiple of the
 * legacy p95 (when configured; p95s are published only over windows holding the minimum calls).
 * Counts are taken from the minute the step started on. An instance whose latest row is older than
 * {@code staleAfter} is silent (stopped, or cut off): its breaker state is no longer judged, so it
 * cannot block the rollout forever, but the counts it published still are. The fleet's evidence covers
 * the time up to the oldest latest publish of the instances still publishing ({@link #coveredUntil()}):
 * a hold counts as healthy only once that is past its end, so an instance whose publishing lags
 * cannot let a step advance on evidence it has not written yet.
 *
 * @param breach the breach in words, or null when the fleet is healthy
 * @param evidence what was judged, in words
 * @param instances each instance's health since the step started
 * @param silent the instances ignored as silent
 * @param coveredUntil the oldest latest publish of the instances still publishing, or null when none publishes
 */
record RolloutJudgement(String breach, String evidence, List<InstanceHealth> instances, List<String> silent,
                        Instant coveredUntil) {

    /** Judges {@code instances} (from {@link FleetHealthTable#since}) against {@code config} at {@code now}. */
    static RolloutJudgement of(BreakerConfig config, Instant stepStartedAt, List<InstanceHealth> instances, Instant now,
                               Duration staleAfter) {
        List<String> silent = new ArrayList<>();
        String breach = null;
        long calls = 0;
        long fallbacks = 0;
        long mismatches = 0;
        Instant covered = null;
        for (InstanceHealth h : instances) {
            calls += h.calls();
            fallbacks += h.fallbacks();
            mismatches += h.mismatches();
            boolean stale = h.updatedAt().isBefore(now.minus(staleAfter));
            if (stale) {
                silent.add(h.instanceId());
            } else if (covered == null || h.updatedAt().isBefore(covered)) {
                covered = h.updatedAt();
            }
            if (breach == null) {
                breach = breach(config, h, stale);
            }
        }
        String evidence = instances.size() - silent.size() + " instances publishing"
                + (silent.isEmpty() ? "" : " (" + silent.size() + " silent for over " + Durations.format(staleAfter)
                        + ", ignored: " + String.join(", ", silent) + ")")
                + ", " + calls + " modern calls, " + fallbacks + " fallbacks, " + mismatches + " mismatches since "
                + stepStartedAt;
        return new RolloutJudgement(breach, evidence, instances, silent, covered);
    }

    private static String breach(BreakerConfig config, InstanceHealth h, boolean stale) {
        String on = "instance " + h.instanceId() + ": ";
        if (!stale && "open".equals(h.breakerState())) {
            return on + "circuit breaker open";
        }
        if (h.fallbacks() > 0) {
            return on + h.fallbacks() + " fallbacks to legacy (allowed: 0)";
        }
        if (h.mismatches() > 0) {
            return on + h.mismatches() + " shadow mismatches in " + h.comparisons() + " comparisons (allowed: 0)";
        }
        if (h.calls() >= config.minimumCalls() && h.errorRate() > config.errorRateThreshold()) {
            return on + "error rate " + percent(h.errorRate()) + " (" + h.errors() + " of " + h.calls()
                    + " modern calls) above the breaker's threshold " + percent(config.errorRateThreshold());
        }
        Double modern = h.modernP95Millis();
        double sla = config.p95LatencyThreshold().toNanos() / 1_000_000.0;
        if (modern != null && modern > sla) {
            return on + "modern p95 " + millis(modern) + " above the breaker's threshold " + millis(sla);
        }
        if (modern != null && h.legacyP95Millis() != null && config.p95LegacyRatioThreshold().isPresent()
                && modern > config.p95LegacyRatioThreshold().get() * h.legacyP95Millis()) {
            return on + "modern p95 " + millis(modern) + " above " + config.p95LegacyRatioThreshold().get()
                    + " x the legacy p95 " + millis(h.legacyP95Millis());
        }
        return null;
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.2f%%", ratio * 100);
    }

    private static String millis(double ms) {
        return String.format(Locale.ROOT, "%.1fms", ms);
    }
}
