package dev.flagway.internal;

import dev.flagway.Stage;
import dev.flagway.breaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * The meters of one migration. Every meter the hot path touches is registered up front and held in
 * arrays, so recording is an array index and an increment, never a registry lookup.
 */
public final class MigrationMetrics {
    /** Which column a read or write used. */
    public enum Path { LEGACY, MODERN }

    /** How a shadow read ended. */
    public enum ShadowOutcome { MATCH, MISMATCH, FAILURE, TIMEOUT, DROPPED }

    /**
     * What became of a failed modern write: repaired from the legacy value in its own transaction,
     * recorded in the repair log (its key pinned to legacy), not recorded (no transaction runner, or
     * recording failed), or failed together with its legacy write (the repair failed too where the
     * new column is read).
     */
    public enum RepairOutcome { INLINE, RECORDED, UNRECORDED, FAILED }

    private static final Stage[] STAGES = Stage.values();
    private static final Path[] PATHS = Path.values();

    private final MeterRegistry registry;
    private final String migration;
    private final Counter[] reads;
    private final Counter[] writes;
    private final Counter[] fallbacks;
    private final Counter[] shadowReads;
    private final Counter shadowMismatches;
    private final Counter[] repairs;

    /**
     * Registers the meters of {@code migration} in {@code registry}.
     *
     * @param pinnedKeys how many keys are pinned to the legacy column now
     */
    public MigrationMetrics(MeterRegistry registry, String migration, CircuitBreaker breaker, IntSupplier pinnedKeys) {
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
        RepairOutcome[] repairOutcomes = RepairOutcome.values();
        this.repairs = new Counter[repairOutcomes.length];
        for (RepairOutcome outcome : repairOutcomes) {
            repairs[outcome.ordinal()] = Counter.builder("flagway.repairs")
                    .description("Failed modern writes by what became of them: repaired inline, recorded for repair, "
                            + "unrecorded, or failed with their legacy write")
                    .tag("migration", migration).tag("outcome", lower(outcome)).register(registry);
        }
        Gauge.builder("flagway.breaker.state", breaker, b -> b.state().ordinal())
                .description("Circuit breaker state: 0 closed, 1 open, 2 half-open")
                .tag("migration", migration).register(registry);
        Gauge.builder("flagway.pinned.keys", pinnedKeys, IntSupplier::getAsInt)
                .description("Keys whose reads take the legacy column until repaired (pending repairs, bad rows)")
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

    /** Counts what became of a failed modern write. */
    public void repair(RepairOutcome outcome) {
        repairs[outcome.ordinal()].increment();
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

    private static int index(Stage stage, Path path, boolean success) {
        return (stage.ordinal() * PATHS.length + path.ordinal()) * 2 + (success ? 0 : 1);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
