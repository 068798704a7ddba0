package dev.flagway.bench.jmh;

import dev.flagway.routing.DualWriteRepository;
import dev.flagway.routing.Flagway;
import dev.flagway.Migration;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.ShadowConfig;
import dev.flagway.Stage;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.internal.TargetingKeyContext;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Item 1: what routing a repository call through Flagway costs on top of a direct call, in every
 * stage, through the {@link DualWriteRepository} proxy and through the lambda API. The repositories
 * are arrays in memory and the flags come from the OpenFeature SDK's {@link InMemoryProvider}
 * (one static flag per stage), so what is measured beyond the direct call is Flagway plus the
 * OpenFeature evaluation, which {@link #baseline_openFeatureEvaluation} measures alone (exactly the
 * call Flagway's stage resolver makes).
 *
 * <p>Migrations use the default settings: SHADOW compares every read (sample-rate 1.0) on the
 * shadow pool, LIVE and RAMP_DOWN compare 1% (live-sample-rate 0.01); there is no transaction
 * runner (in-memory writes), and meters go to a {@link SimpleMeterRegistry}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBenchmark {
    /** The OpenFeature domain the routing flags live in. */
    public static final String DOMAIN = "flagway-bench-routing";
    private static final int ROWS = 1 << 14;

    EmailRepository legacy;
    EmailRepository modern;
    Client client;
    Flagway flagway;
    final Map<Stage, EmailRepository> proxies = new EnumMap<>(Stage.class);
    final Map<Stage, MigrationRuntime> runtimes = new EnumMap<>(Stage.class);
    private EmailRepository proxyOff;
    private EmailRepository proxyDualWrite;
    private EmailRepository proxyShadow;
    private EmailRepository proxyLive;
    private EmailRepository proxyRampDown;
    private EmailRepository proxyComplete;
    private MigrationRuntime runtimeLive;
    private MigrationRuntime runtimeDualWrite;
    private String liveFlag;
    /** Per stage, a Flagway whose client answers that stage at no cost: only Flagway's own work is left. */
    final Map<Stage, Flagway> isolatedFlagways = new EnumMap<>(Stage.class);
    final Map<Stage, SimpleMeterRegistry> isolatedMeters = new EnumMap<>(Stage.class);
    final Map<Stage, EmailRepository> isolated = new EnumMap<>(Stage.class);
    private EmailRepository isolatedOff;
    private EmailRepository isolatedDualWrite;
    private EmailRepository isolatedShadow;
    private EmailRepository isolatedLive;
    private EmailRepository isolatedRampDown;
    private EmailRepository isolatedComplete;
    private MigrationRuntime isolatedRuntimeLive;
    /** LIVE with live sampling off: separates the routing from the 1% of reads compared on the shadow pool. */
    Flagway isolatedUnsampledFlagway;
    private EmailRepository isolatedLiveUnsampled;

    /** The flag key of the migration whose flag always answers {@code stage}. */
    public static String flagKey(Stage stage) {
        return "route-" + stage.flagValue().replace('_', '-');
    }

    @Setup(Level.Trial)
    public void setUp() {
        legacy = new InMemoryEmailRepository(ROWS, false);
        modern = new InMemoryEmailRepository(ROWS, true);
        Map<String, Flag<?>> flags = new HashMap<>();
        for (Stage stage : Stage.values()) {
            flags.put(flagKey(stage), Flag.<String>builder().variant("stage", stage.flagValue())
                    .defaultVariant("stage").build());
        }
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        api.setProviderAndWait(DOMAIN, new InMemoryProvider(flags));
        client = api.getClient(DOMAIN);

        Flagway.Builder builder = Flagway.builder().client(client).meterRegistry(new SimpleMeterRegistry());
        for (Stage stage : Stage.values()) {
            builder.migration(migration(stage));
        }
        flagway = builder.build();
        for (Stage stage : Stage.values()) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            isolatedMeters.put(stage, meters);
            Flagway alone = Flagway.builder().client(new FixedStageClient(flagKey(stage), stage.flagValue()))
                    .meterRegistry(meters).migration(migration(stage)).build();
            isolatedFlagways.put(stage, alone);
            isolated.put(stage, DualWriteRepository.of(EmailRepository.class)
                    .legacy(legacy).modern(modern).migration(alone.migration(flagKey(stage))).wrap());
        }
        isolatedOff = isolated.get(Stage.OFF);
        isolatedDualWrite = isolated.get(Stage.DUAL_WRITE);
        isolatedShadow = isolated.get(Stage.SHADOW);
        isolatedLive = isolated.get(Stage.LIVE);
        isolatedRampDown = isolated.get(Stage.RAMP_DOWN);
        isolatedComplete = isolated.get(Stage.COMPLETE);
        isolatedRuntimeLive = isolatedFlagways.get(Stage.LIVE).migration(flagKey(Stage.LIVE));
        Migration unsampled = migration(Stage.LIVE).toBuilder()
                .shadow(ShadowConfig.custom().comparator(RoutingBenchmark::sameAddress).liveSampleRate(0.0).build())
                .build();
        isolatedUnsampledFlagway = Flagway.builder().client(new FixedStageClient(flagKey(Stage.LIVE), "live"))
                .meterRegistry(new SimpleMeterRegistry()).migration(unsampled).build();
        isolatedLiveUnsampled = DualWriteRepository.of(EmailRepository.class).legacy(legacy).modern(modern)
                .migration(isolatedUnsampledFlagway.migration(flagKey(Stage.LIVE))).wrap();
        for (Stage stage : Stage.values()) {
            MigrationRuntime runtime = flagway.migration(flagKey(stage));
            runtimes.put(stage, runtime);
            proxies.put(stage, DualWriteRepository.of(EmailRepository.class)
                    .legacy(legacy).modern(modern).migration(runtime).wrap());
        }
        proxyOff = proxies.get(Stage.OFF);
        proxyDualWrite = proxies.get(Stage.DUAL_WRITE);
        proxyShadow = proxies.get(Stage.SHADOW);
        proxyLive = proxies.get(Stage.LIVE);
        proxyRampDown = proxies.get(Stage.RAMP_DOWN);
        proxyComplete = proxies.get(Stage.COMPLETE);
        runtimeLive = runtimes.get(Stage.LIVE);
        runtimeDualWrite = runtimes.get(Stage.DUAL_WRITE);
        liveFlag = flagKey(Stage.LIVE);
        for (Stage stage : Stage.values()) {
            Stage resolved = runtimes.get(stage).flagStage("1");
            if (resolved != stage) {
                throw new IllegalStateException("flag " + flagKey(stage) + " resolves to " + resolved);
            }
        }
    }

    private static Migration migration(Stage stage) {
        return migration(flagKey(stage));
    }

    /** A migration of the users' email whose flag is {@code id}, shadow reads compared with {@link #sameAddress}. */
    static Migration migration(String id) {
        return Migration.builder(id).flag(id)
                .table("users").keyColumn("id").legacyColumn("email").newColumn("email_normalized")
                .shadow(ShadowConfig.custom().comparator(RoutingBenchmark::sameAddress).build())
                .build();
    }

    /** The shadow comparison: the new column holds the legacy address lower-cased. */
    static boolean sameAddress(Object legacy, Object modern) {
        return legacy instanceof String l && modern instanceof String m && l.equalsIgnoreCase(m);
    }

    /**
     * Fails the run when a breaker left CLOSED: the numbers would then be of the clamped path, not of
     * the stage the benchmark names.
     */
    public void verifyBreakersClosed() {
        List<String> open = new ArrayList<>();
        for (MigrationRuntime runtime : runtimes.values()) {
            if (runtime.breaker().state() != CircuitBreaker.State.CLOSED) {
                open.add(runtime.breaker().toString());
            }
        }
        List<Flagway> isolatedAll = new ArrayList<>(isolatedFlagways.values());
        isolatedAll.add(isolatedUnsampledFlagway);
        for (Flagway alone : isolatedAll) {
            for (MigrationRuntime runtime : alone.migrations()) {
                if (runtime.breaker().state() != CircuitBreaker.State.CLOSED) {
                    open.add("isolated " + runtime.breaker());
                }
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalStateException("breakers left CLOSED during the benchmark: " + open);
        }
    }

    /**
     * Prints how the shadow comparisons of the isolated SHADOW, LIVE and RAMP_DOWN runs ended: at
     * millions of reads a second the shadow pool cannot compare them all and drops the rest, so the
     * caller's cost is that of handing over or dropping, which this shows in what proportion.
     */
    private void reportShadowOutcomes() {
        for (Stage stage : List.of(Stage.SHADOW, Stage.LIVE, Stage.RAMP_DOWN)) {
            StringBuilder line = new StringBuilder("shadow comparisons at " + stage.flagValue() + ":");
            isolatedMeters.get(stage).find("flagway.shadow.reads").counters().forEach(counter -> line.append(' ')
                    .append(counter.getId().getTag("outcome")).append('=').append((long) counter.count()));
            System.out.println(line);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            reportShadowOutcomes();
            verifyBreakersClosed();
        } finally {
            flagway.close();
            isolatedFlagways.values().forEach(Flagway::close);
            isolatedUnsampledFlagway.close();
        }
    }

    /** One benchmark thread's cursor over the keys, and the lambdas a lambda-API caller would pass ({@link KeyLambdas}). */
    @State(Scope.Thread)
    public static class Caller {
        final Keys keys = new Keys(7);
        final String newEmail = "new.address@example.com";
        KeyLambdas lambdas;

        @Setup(Level.Trial)
        public void setUp(RoutingBenchmark benchmark) {
            lambdas = new KeyLambdas(keys, benchmark.legacy, benchmark.modern, newEmail);
        }
    }

    // ------------------------------------------------------------------ baselines

    @Benchmark
    public String baseline_directRead(Caller c) {
        return legacy.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public void baseline_directWrite(Caller c) {
        legacy.updateEmail(c.keys.id(c.keys.advance()), c.newEmail);
    }

    @Benchmark
    public void baseline_directWriteBoth(Caller c) {
        long id = c.keys.id(c.keys.advance());
        legacy.updateEmail(id, c.newEmail);
        modern.updateEmail(id, c.newEmail);
    }

    /** Exactly what Flagway's stage resolver asks OpenFeature per call. */
    @Benchmark
    public FlagEvaluationDetails<String> baseline_openFeatureEvaluation(Caller c) {
        return client.getStringDetails(liveFlag, "off", new TargetingKeyContext(c.keys.key(c.keys.advance())));
    }

    // ------------------------------------------------------------------ the proxy, reads

    @Benchmark
    public String proxyRead_off(Caller c) {
        return proxyOff.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public String proxyRead_dualWrite(Caller c) {
        return proxyDualWrite.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public String proxyRead_shadow(Caller c) {
        return proxyShadow.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public String proxyRead_live(Caller c) {
        return proxyLive.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public String proxyRead_rampDown(Caller c) {
        return proxyRampDown.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public String proxyRead_complete(Caller c) {
        return proxyComplete.email(c.keys.id(c.keys.advance()));
    }

    // ------------------------------------------------------------------ the proxy, writes

    @Benchmark
    public void proxyWrite_off(Caller c) {
        proxyOff.updateEmail(c.keys.id(c.keys.advance()), c.newEmail);
    }

    @Benchmark
    public void proxyWrite_dualWrite(Caller c) {
        proxyDualWrite.updateEmail(c.keys.id(c.keys.advance()), c.newEmail);
    }

    // ------------------------------------------------------------------ the lambda API

    @Benchmark
    public String lambdaRead_live(Caller c) {
        int at = c.keys.advance();
        return runtimeLive.reader().read(c.keys.key(at), c.lambdas.legacyRead[at], c.lambdas.modernRead[at]);
    }

    @Benchmark
    public Object lambdaWrite_dualWrite(Caller c) {
        int at = c.keys.advance();
        String key = c.keys.key(at);
        return runtimeDualWrite.writer().write(key, key, c.lambdas.legacyWrite[at], c.lambdas.modernWrite[at]);
    }

    // ------------------------------------------------------------------ Flagway alone (zero-cost client)

    @Benchmark
    public String isolatedRead_off(Caller c) {
        return isolatedOff.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public String isolatedRead_dualWrite(Caller c) {
        return isolatedDualWrite.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public String isolatedRead_shadow(Caller c) {
        return isolatedShadow.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public String isolatedRead_live(Caller c) {
        return isolatedLive.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public String isolatedRead_liveUnsampled(Caller c) {
        return isolatedLiveUnsampled.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public String isolatedRead_rampDown(Caller c) {
        return isolatedRampDown.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public String isolatedRead_complete(Caller c) {
        return isolatedComplete.email(c.keys.id(c.keys.advance()));
    }

    @Benchmark
    public void isolatedWrite_dualWrite(Caller c) {
        isolatedDualWrite.updateEmail(c.keys.id(c.keys.advance()), c.newEmail);
    }

    @Benchmark
    public String isolatedLambdaRead_live(Caller c) {
        int at = c.keys.advance();
        return isolatedRuntimeLive.reader().read(c.keys.key(at), c.lambdas.legacyRead[at], c.lambdas.modernRead[at]);
    }
}
