package dev.flagway;

import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A migration's automatic rollout plan: the shares of keys (percent) the rollout controller moves the
 * flag's {@code live} stage through, in order, and how long each must hold with a healthy fleet before
 * the next. Declared with {@code flagway.migrations.<id>.rollout.steps} and {@code .rollout.hold}.
 *
 * @param steps the shares in percent, strictly increasing, each in (0, 100]
 * @param hold how long each step must hold healthy before the next, positive
 */
public record RolloutPlan(List<Double> steps, Duration hold) {
    /** The default plan: 1%, 10%, 50%, 100%, each held 10 minutes. */
    public static final RolloutPlan DEFAULT = new RolloutPlan(List.of(1.0, 10.0, 50.0, 100.0), Duration.ofMinutes(10));

    /**
     * Checks the plan.
     *
     * @throws IllegalArgumentException naming the offending step or the hold
     */
    public RolloutPlan {
        steps = checkSteps(steps);
        Checks.positive("rollout hold", hold);
    }

    /**
     * Checks rollout steps: at least one, each in (0, 100], strictly increasing.
     *
     * @return an unmodifiable copy
     * @throws IllegalArgumentException naming the offending step
     */
    public static List<Double> checkSteps(List<Double> steps) {
        Checks.notNull("rollout steps", steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("rollout steps must name at least one share, e.g. 1,10,50,100");
        }
        double previous = 0.0;
        for (Double step : steps) {
            if (step == null || !(step > 0.0 && step <= 100.0)) {
                throw new IllegalArgumentException("rollout step " + step + " must be a percent in (0, 100]");
            }
            if (step <= previous) {
                throw new IllegalArgumentException("rollout steps must be strictly increasing, but " + step
                        + " follows " + previous);
            }
            previous = step;
        }
        return List.copyOf(steps);
    }

    /** The first step above {@code percent}, or empty when {@code percent} is at or past the last one. */
    public Optional<Double> stepAfter(double percent) {
        return steps.stream().filter(s -> s > percent).findFirst();
    }

    /** The plan in words, e.g. {@code 1%, 10%, 50%, 100%, each held 10m}. */
    public String describe() {
        return steps.stream().map(RolloutPlan::percent).collect(Collectors.joining(", ")) + ", each held "
                + Durations.format(hold);
    }

    /** A share as text, e.g. {@code 10%} or {@code 2.5%}. */
    public static String percent(double share) {
        return (share == Math.rint(share) ? String.valueOf((long) share) : String.valueOf(share)) + "%";
    }
}
