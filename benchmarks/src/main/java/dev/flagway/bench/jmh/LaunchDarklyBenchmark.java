package dev.flagway.bench.jmh;

import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.server.MigrationStage;
import com.launchdarkly.sdk.server.migrations.Migration;
import com.launchdarkly.sdk.server.migrations.MigrationBuilder;
import com.launchdarkly.sdk.server.migrations.MigrationExecution;
import com.launchdarkly.sdk.server.migrations.MigrationMethodResult;
import com.launchdarkly.sdk.server.migrations.MigrationSerialOrder;
import dev.flagway.routing.DualWriteRepository;
import dev.flagway.routing.Flagway;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.Stage;
import dev.flagway.breaker.CircuitBreaker;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Item 8: LaunchDarkly's migration API ({@link MigrationBuilder}, SDK 7.x, offline with
 * {@link LaunchDarklyFlags}) against Flagway's proxy and lambda API, at each of the six stages, on
 * the same in-memory repositories as item 1. Both read the stage from the same LaunchDarkly flag:
 * LaunchDarkly through {@code migrationVariation}, Flagway through OpenFeature and
 * {@link LaunchDarklyFlags#provider()}, so the flag evaluation costs both alike and the difference is
 * the routing. Defaults on both sides: LaunchDarkly reads both origins in parallel on its own thread
 * pool where a stage reads both (SHADOW, LIVE) and checks consistency on every such read; Flagway
 * compares every SHADOW read and 1% of LIVE reads on its shadow pool, off the caller's thread.
 * {@link LaunchDarklyFlagBenchmark} measures the two flag evaluations alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LaunchDarklyBenchmark {
    /** The migration flag both libraries read. */
    public static final String FLAG = "users-email-ld";
    private static final int ROWS = 1 << 14;

    /** The flag's value, as LaunchDarkly spells the stages. */
    @Param({"off", "dualwrite", "shadow", "live", "rampdown", "complete"})
    public String stage;

    EmailRepository legacy;
    EmailRepository modern;
    LaunchDarklyFlags flags;
    Migration<String, Object, Long, Long> ldMigration;
    Migration<String, Object, Long, Long> ldSerialMigration;
    Flagway flagway;
    MigrationRuntime runtime;
    EmailRepository proxy;

    @Setup(Level.Trial)
    public void setUp() {
        legacy = new InMemoryEmailRepository(ROWS, false);
        modern = new InMemoryEmailRepository(ROWS, true);
        flags = new LaunchDarklyFlags().set(FLAG, stage);
        ldMigration = ldMigration(MigrationExecution.Parallel());
        ldSerialMigration = ldMigration(MigrationExecution.Serial(MigrationSerialOrder.FIXED));
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        String domain = "flagway-bench-launchdarkly-" + stage;
        api.setProviderAndWait(domain, flags.provider());
        flagway = Flagway.builder().client(api.getClient(domain)).meterRegistry(new SimpleMeterRegistry())
                .migration(RoutingBenchmark.migration(FLAG)).build();
        runtime = flagway.migration(FLAG);
        proxy = DualWriteRepository.of(EmailRepository.class).legacy(legacy).modern(modern).migration(runtime).wrap();
        MigrationStage ldStage = flags.client().migrationVariation(FLAG, LDContext.create("1"), MigrationStage.OFF)
                .getStage();
        Stage flagwayStage = runtime.flagStage("1");
        if (!ldStage.toString().equals(stage) || Stage.fromFlagValue(stage).orElseThrow() != flagwayStage) {
            throw new IllegalStateException("flag " + stage + " read as " + ldStage + " by LaunchDarkly and "
                    + flagwayStage + " by Flagway");
        }
    }

    private Migration<String, Object, Long, Long> ldMigration(MigrationExecution execution) {
        EmailRepository oldRepository = legacy;
        EmailRepository newRepository = modern;
        return new MigrationBuilder<String, Object, Long, Long>(flags.client())
                .read(id -> MigrationMethodResult.Success(oldRepository.email(id)),
                        id -> MigrationMethodResult.Success(newRepository.email(id)),
                        RoutingBenchmark::sameAddress)
                .write(id -> {
                    oldRepository.updateEmail(id, Caller.NEW_EMAIL);
                    return MigrationMethodResult.Success(Boolean.TRUE);
                }, id -> {
                    newRepository.updateEmail(id, Caller.NEW_EMAIL);
                    return MigrationMethodResult.Success(Boolean.TRUE);
                })
                .readExecution(execution)
                .build().orElseThrow();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (runtime.breaker().state() != CircuitBreaker.State.CLOSED) {
                throw new IllegalStateException("the breaker left CLOSED: " + runtime.breaker());
            }
        } finally {
            flagway.close();
            flags.close();
        }
    }

    /**
     * One benchmark thread's keys: the boxed ids LaunchDarkly's readers take as payload (boxed once,
     * as the proxy's own boxing is counted against Flagway) and the lambdas of the lambda API.
     */
    @State(Scope.Thread)
    public static class Caller {
        static final String NEW_EMAIL = "new.address@example.com";
        final Keys keys = new Keys(11);
        final Long[] boxedIds = new Long[Keys.COUNT];
        KeyLambdas lambdas;

        @Setup(Level.Trial)
        public void setUp(LaunchDarklyBenchmark benchmark) {
            for (int i = 0; i < Keys.COUNT; i++) {
                boxedIds[i] = keys.id(i);
            }
            lambdas = new KeyLambdas(keys, benchmark.legacy, benchmark.modern, NEW_EMAIL);
        }
    }

    // ------------------------------------------------------------------ LaunchDarkly

    @Benchmark
    public Migration.MigrationResult<String> ldRead(Caller c) {
        int at = c.keys.advance();
        return ldMigration.read(FLAG, LDContext.create(c.keys.key(at)), MigrationStage.OFF, c.boxedIds[at]);
    }

    /** LaunchDarkly with serial reads (old, then new) instead of its default parallel ones. */
    @Benchmark
    public Migration.MigrationResult<String> ldReadSerial(Caller c) {
        int at = c.keys.advance();
        return ldSerialMigration.read(FLAG, LDContext.create(c.keys.key(at)), MigrationStage.OFF, c.boxedIds[at]);
    }

    @Benchmark
    public Migration.MigrationWriteResult<Object> ldWrite(Caller c) {
        int at = c.keys.advance();
        return ldMigration.write(FLAG, LDContext.create(c.keys.key(at)), MigrationStage.OFF, c.boxedIds[at]);
    }

    // ------------------------------------------------------------------ Flagway

    @Benchmark
    public String proxyRead(Caller c) {
        return proxy.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public void proxyWrite(Caller c) {
        proxy.updateEmail(c.keys.id(c.keys.advance()), Caller.NEW_EMAIL);
    }

    @Benchmark
    public String lambdaRead(Caller c) {
        int at = c.keys.advance();
        return runtime.reader().read(c.keys.key(at), c.lambdas.legacyRead[at], c.lambdas.modernRead[at]);
    }

    @Benchmark
    public Object lambdaWrite(Caller c) {
        int at = c.keys.advance();
        String key = c.keys.key(at);
        return runtime.writer().write(key, key, c.lambdas.legacyWrite[at], c.lambdas.modernWrite[at]);
    }
}
