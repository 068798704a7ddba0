package dev.flagway.routing;

import dev.flagway.Stage;
import dev.flagway.breaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/**
 * The meters of one migration. A counter is registered the first time it counts, so a registry shows
 * what happened, not every combination of stage, path and outcome at zero; once registered it is held
 * in an array, so recording is an array read and an increment, never a registry lookup. The two
 * gauges (breaker state, pinned keys) describe the present and are registered up front.
 */
final class MigrationMetrics {
    /** Which column a read or write used. */
    public enum Path { LEGACY, MODERN }

    /**
     * How a shadow read ended; {@code SUPERSEDED}: it disagreed after the key's stage had moved on to
     * complete, which no longer writes legacy, so it is not counted as a mismatch.
     */
    public enum ShadowOutcome { MATCH, MISMATCH, FAILURE, TIMEOUT, DROPPED, SUPERSEDED }

    /**
     * What became of a failed modern write: repaired from the legacy value in its own transaction,
     * recorded in the repair log (its key pinned to legacy), not recorded (no transaction runner, or
     * recording failed), or failed together with its legacy write (the repair failed too where the
     * new column is read).
     */
    public enum RepairOutcome { INLINE, RECORDED, UNRECORDED, FAILED }

    private static final Stage[] STAGES = Stage.values();
    private static final Path[] PATHS = Path.values();
    private static final ShadowOutcome[] SHADOW_OUTCOMES = ShadowOutcome.values();
    private static final RepairOutcome[] REPAIR_OUTCOMES = RepairOutcome.values();

    private final MeterRegistry registry;
    private final String migration;
    private final LazyCounters reads;
    private final LazyCounters writes;
    private final LazyCounters fallbacks;
    private final LazyCounters shadowReads;
    private final LazyCounters shadowMismatches;
    private final LazyCounters repairs;

    /**
     * Holds the meters of {@code migration} for {@code registry}: registers its gauges now, its
     * counters when they first count.
     *
     * @param pinnedKeys how many keys are pinned to the legacy column now
     */
    public MigrationMetrics(MeterRegistry registry, String migration, CircuitBreaker breaker, IntSupplier pinnedKeys) {
        this.registry = registry;
        this.migration = migration;
        this.reads = perStagePathOutcome("flagway.reads", "Reads by stage, path and outcome");
        this.writes = perStagePathOutcome("flagway.writes", "Writes by stage, path and outcome");
        this.fallbacks = new LazyCounters(STAGES.length, i -> Counter.builder("flagway.fallbacks")
                .description("Modern reads that failed and were answered from the legacy column")
                .tag("migration", migration).tag("stage", STAGES[i].flagValue()));
        this.shadowReads = new LazyCounters(SHADOW_OUTCOMES.length, i -> Counter.builder("flagway.shadow.reads")
                .description("Shadow reads by outcome")
                .tag("migration", migration).tag("outcome", lower(SHADOW_OUTCOMES[i])));
        this.shadowMismatches = new LazyCounters(1, i -> Counter.builder("flagway.shadow.mismatches")
                .description("Shadow comparisons whose two results disagreed")
                .tag("migration", migration));
        this.repairs = new LazyCounters(REPAIR_OUTCOMES.length, i -> Counter.builder("flagway.repairs")
                .description("Failed modern writes by what became of them: repaired inline, recorded for repair, "
                        + "unrecorded, or failed with their legacy write")
                .tag("migration", migration).tag("outcome", lower(REPAIR_OUTCOMES[i])));
        Gauge.builder("flagway.breaker.state", breaker, b -> b.state().ordinal())
                .description("Circuit breaker state: 0 closed, 1 open, 2 half-open")
                .tag("migration", migration).register(registry);
        Gauge.builder("flagway.pinned.keys", pinnedKeys, IntSupplier::getAsInt)
                .description("Keys whose reads take the legacy column until repaired (pending repairs, bad rows)")
                .tag("migration", migration).register(registry);
    }

    /** Counts a read. */
    public void read(Stage stage, Path path, boolean success) {
        reads.increment(index(stage, path, success));
    }

    /** Counts a write. */
    public void write(Stage stage, Path path, boolean success) {
        writes.increment(index(stage, path, success));
    }

    /** Counts a fallback from a failed modern read to the legacy read. */
    public void fallback(Stage stage) {
        fallbacks.increment(stage.ordinal());
    }

    /** Counts a shadow read's outcome (and a mismatch in {@code flagway.shadow.mismatches}). */
    public void shadow(ShadowOutcome outcome) {
        shadowReads.increment(outcome.ordinal());
        if (outcome == ShadowOutcome.MISMATCH) {
            shadowMismatches.increment(0);
        }
    }

    /** Counts what became of a failed modern write. */
    public void repair(RepairOutcome outcome) {
        repairs.increment(outcome.ordinal());
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

    private LazyCounters perStagePathOutcome(String name, String description) {
        return new LazyCounters(STAGES.length * PATHS.length * 2, i -> {
            int stagePath = i / 2;
            return Counter.builder(name).description(description)
                    .tag("migration", migration).tag("stage", STAGES[stagePath / PATHS.length].flagValue())
                    .tag("path", lower(PATHS[stagePath % PATHS.length])).tag("outcome", i % 2 == 0 ? "success" : "error");
        });
    }

    private static int index(Stage stage, Path path, boolean success) {
        return (stage.ordinal() * PATHS.length + path.ordinal()) * 2 + (success ? 0 : 1);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Counters by index, each registered the first time it counts. Two threads that both find a slot
     * empty register the same meter id, for which the registry returns one counter, so the slot ends
     * up holding the counter either would have stored.
     */
    private final class LazyCounters {
        private final AtomicReferenceArray<Counter> counters;
        private final IntFunction<Counter.Builder> meter;

        LazyCounters(int size, IntFunction<Counter.Builder> meter) {
            this.counters = new AtomicReferenceArray<>(size);
            this.meter = meter;
        }

        void increment(int index) {
            Counter counter = counters.get(index);
            if (counter == null) {
                counter = meter.apply(index).register(registry);
                counters.set(index, counter);
            }
            counter.increment();
        }
    }
}
