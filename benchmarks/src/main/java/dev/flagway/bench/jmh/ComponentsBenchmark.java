package dev.flagway.bench.jmh;

import dev.flagway.Stage;
import dev.flagway.internal.TargetingKeyContext;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The pieces a routed call is made of, alone: to attribute the routing benchmarks' time and bytes
 * to their causes (docs/BENCHMARKS.md, "Where the time and the bytes go").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ComponentsBenchmark {
    private static final String[] STAGE_VALUES = {"off", "dual_write", "shadow", "live", "ramp_down", "complete"};
    private final Keys keys = new Keys(11);
    private final Object[] boxedIds = new Object[Keys.COUNT];
    private int stage;

    public ComponentsBenchmark() {
        for (int i = 0; i < Keys.COUNT; i++) {
            boxedIds[i] = keys.id(i);
        }
    }

    /** What the stage resolver does with every flag answer. */
    @Benchmark
    public Optional<Stage> stageFromFlagValue() {
        stage = stage == 5 ? 0 : stage + 1;
        return Stage.fromFlagValue(STAGE_VALUES[stage]);
    }

    /** The context the stage resolver builds for every evaluation. */
    @Benchmark
    public EvaluationContext targetingKeyContext() {
        return new TargetingKeyContext(keys.key(keys.advance()));
    }

    /** The SDK's context for a targeting key, which the stage resolver built before {@link TargetingKeyContext}. */
    @Benchmark
    public EvaluationContext immutableContextOfTargetingKey() {
        return new ImmutableContext(keys.key(keys.advance()));
    }

    /** How the proxy turns a {@code long} targeting-key argument into OpenFeature's String key. */
    @Benchmark
    public String targetingKeyOfBoxedLong() {
        return String.valueOf(boxedIds[keys.advance()]);
    }

    /**
     * What fleet-health publishing adds to a routed modern call: one increment of the breaker's
     * running total of calls (a failure or a mismatch adds one more, only when it happens). The
     * publisher reads the totals off the callers' path; the rollout controller is not on it at all.
     */
    @Benchmark
    public void fleetHealthTotal(SharedTotals totals) {
        totals.calls.increment();
    }

    /** The same increment with two threads adding to one total, as two callers on two CPUs do. */
    @Benchmark
    @Threads(2)
    public void fleetHealthTotalTwoThreads(SharedTotals totals) {
        totals.calls.increment();
    }

    /** A migration's running total, shared by every calling thread as the breaker's is. */
    @State(Scope.Benchmark)
    public static class SharedTotals {
        final LongAdder calls = new LongAdder();
    }

    /** One clock reading; a timed modern read takes two (start, and end for both the latency and the breaker's window). */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }
}
