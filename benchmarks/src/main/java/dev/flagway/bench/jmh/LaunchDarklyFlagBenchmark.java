package dev.flagway.bench.jmh;

import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.server.MigrationStage;
import com.launchdarkly.sdk.server.MigrationVariation;
import dev.flagway.internal.TargetingKeyContext;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Item 8's baselines: the flag evaluation each side of {@link LaunchDarklyBenchmark} makes before it
 * routes, alone, on the same LaunchDarkly flag.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LaunchDarklyFlagBenchmark {
    private final Keys keys = new Keys(13);
    private LaunchDarklyFlags flags;
    private Client client;

    @Setup(Level.Trial)
    public void setUp() {
        flags = new LaunchDarklyFlags().set(LaunchDarklyBenchmark.FLAG, "live");
        String domain = "flagway-bench-launchdarkly-flags";
        OpenFeatureAPI.getInstance().setProviderAndWait(domain, flags.provider());
        client = OpenFeatureAPI.getInstance().getClient(domain);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        flags.close();
    }

    /** LaunchDarkly's {@code migrationVariation}, which each of its migration reads and writes makes first. */
    @Benchmark
    public MigrationVariation ldMigrationVariation() {
        return flags.client().migrationVariation(LaunchDarklyBenchmark.FLAG,
                LDContext.create(keys.key(keys.advance())), MigrationStage.OFF);
    }

    /** The OpenFeature evaluation Flagway makes per routed call, answered by LaunchDarkly. */
    @Benchmark
    public FlagEvaluationDetails<String> openFeatureOverLaunchDarkly() {
        return client.getStringDetails(LaunchDarklyBenchmark.FLAG, "off",
                new TargetingKeyContext(keys.key(keys.advance())));
    }
}
