package dev.flagway.internal;

import dev.flagway.Stage;
import dev.flagway.breaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * The meters of one migration. Every meter the hot path touches is registered up front and held in
 * arrays, so recording is an array index and an increment, never a registry lookup.
 */
public final class MigrationMetrics {
    /** Which column a read or write used. */
    public enum Path { LEGACY, MODERN }

    /** How a shadow read ended. */
    public enum ShadowOutcome { MATCH, MISMATCH, FAILURE, TIMEOUT, DROPPED }

    private static final Stage[] STAGES = Stage.values();
    private static final Path[] PATHS = Path.values();

    private final MeterRegistry registry;
    private final String migration;
    private final Counter[] reads;
    private final Counter[] writes;
    private final Counter[] fallbacks;
    private final Counter[] shadowReads;
    private final Counter shadowMismatches;
    private final Counter repairsRecorded;
    private final Counter repairsUnrecorded;

    /** Registers the meters of {@code migration} in {@code registry}. */
    public MigrationMetrics(MeterRegistry registry, String migration, CircuitBreaker breaker) {
        this.registry = registry;
        this.migration = migration;
        this.reads = perStagePathOutcome("flagway.reads", "Reads by stage, path and outcome");
        this.writes = perStagePathOutcome("flagway.writes", "Writes by stage, path and outcome");
        this.fallbacks = new Counter[STAGES.length];
        for (Stage stage : STAGES) {
            fallbacks[stage.ordinal()] = Counter.builder("flagway.fallbacks")
                    .description("Modern reads that failed and were answered from the legacy column")
                    .tag("migration", migration).tag("stage", stage.flagValue())
                    .register(registry);
        }
        ShadowOutcome[] outcomes = ShadowOutcome.values();
        this.shadowReads = new Counter[outcomes.length];
        for (ShadowOutcome outcome : outcomes) {
            shadowReads[outcome.ordinal()] = Counter.builder("flagway.shadow.reads")
                    .description("Shadow reads by outcome")
                    .tag("migration", migration).tag("outcome", lower(outcome))
                    .register(registry);
        }
        this.shadowMismatches = Counter.builder("flagway.shadow.mismatches")
                .description("Shadow comparisons whose two results disagreed")
                .tag("migration", migration).register(registry);
        this.repairsRecorded = repairs("recorded");
        this.repairsUnrecorded = repairs("unrecorded");
        Gauge.builder("flagway.breaker.state", breaker, b -> b.state().ordinal())
                .description("Circuit breaker state: 0 closed, 1 open, 2 half-open")
                .tag("migration", migration).register(registry);
    }

    /** Counts a read. */
    public void read(Stage stage, Path path, boolean success) {
        reads[index(stage, path, success)].increment();
    }

    /** Counts a write. */
    public void write(Stage stage, Path path, boolean success) {
        writes[index(stage, path, success)].increment();
    }

    /** Counts a fallback from a failed modern read to the legacy read. */
    public void fallback(Stage stage) {
        fallbacks[stage.ordinal()].increment();
    }

    /** Counts a shadow read's outcome (and a mismatch in {@code flagway.shadow.mismatches}). */
    public void shadow(ShadowOutcome outcome) {
        shadowReads[outcome.ordinal()].increment();
        if (outcome == ShadowOutcome.MISMATCH) {
            shadowMismatches.increment();
        }
    }

    /** Counts a repair entry written, or one that could not be written. */
    public void repair(boolean recorded) {
        (recorded ? repairsRecorded : repairsUnrecorded).increment();
    }

    /** Counts a flag evaluation that fell back to the default stage, by reason. */
    public void flagError(String reason) {
        Counter.builder("flagway.flag.errors")
                .description("Flag evaluations that fell back to the default stage")
                .tag("migration", migration).tag("reason", reason)
                .register(registry).increment();
    }

    /** Counts a breaker state change. */
    public void breakerTransition(CircuitBreaker.State to, String cause) {
        Counter.builder("flagway.breaker.transitions")
                .description("Circuit breaker state changes")
                .tag("migration", migration).tag("state", lower(to)).tag("cause", cause)
                .register(registry).increment();
    }

    private Counter[] perStagePathOutcome(String name, String description) {
        Counter[] counters = new Counter[STAGES.length * PATHS.length * 2];
        for (Stage stage : STAGES) {
            for (Path path : PATHS) {
                for (boolean success : new boolean[] {true, false}) {
                    counters[index(stage, path, success)] = Counter.builder(name).description(description)
                            .tag("migration", migration).tag("stage", stage.flagValue())
                            .tag("path", lower(path)).tag("outcome", success ? "success" : "error")
                            .register(registry);
                }
            }
        }
        return counters;
    }

    private Counter repairs(String outcome) {
        return Counter.builder("flagway.repairs")
                .description("Failed modern writes recorded for repair, or that could not be recorded")
                .tag("migration", migration).tag("outcome", outcome).register(registry);
    }

    private static int index(Stage stage, Path path, boolean success) {
        return (stage.ordinal() * PATHS.length + path.ordinal()) * 2 + (success ? 0 : 1);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
