package dev.flagway.bench.jmh;

import dev.flagway.Stage;
import dev.flagway.internal.TargetingKeyContext;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

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

    /** One clock reading; a LIVE read takes two (start, and end for both the latency and the breaker's window). */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }
}
