package dev.flagway.bench.jmh;

import dev.flagway.Stage;
import dev.flagway.openfeature.FlagAdmin;
import dev.flagway.openfeature.FlagwayProvider;
import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
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
 * Item 2: one flag evaluation with a 10% percentage rollout ({@code live} for 10% of the keys,
 * {@code shadow} for the rest), through three providers:
 * <ul>
 *   <li>Flagway's provider, on an in-memory H2 database, after its first refresh;</li>
 *   <li>the OpenFeature SDK's {@link InMemoryProvider}, which has no percentage rollout: a context
 *       evaluator buckets {@code String.hashCode()} modulo 100, the cheapest rollout a user could write;</li>
 *   <li>flagd's Java provider in in-process mode ({@code Resolver.FILE}) reading a flag file with the
 *       equivalent {@code fractional} rule (no daemon, no network).</li>
 * </ul>
 * Each is measured through an OpenFeature client ({@code client_*}, what Flagway calls) and by
 * calling the provider directly ({@code provider_*}, without the SDK's hooks and details).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FlagEvaluationBenchmark {
    /** The flag every provider serves. */
    public static final String FLAG = "users-email";
    /** The rollout share in percent. */
    public static final int PERCENT = 10;

    private static final String PREFIX = "flagway-bench-eval-";

    FeatureProvider flagwayProvider;
    FeatureProvider inMemoryProvider;
    FeatureProvider flagdProvider;
    Client flagwayClient;
    Client inMemoryClient;
    Client flagdClient;
    private Path flagdFile;
    private EvaluationContext[] contexts;
    private int next;

    /** The flagd flag file: the same rollout as a {@code fractional} rule over flagKey + targetingKey. */
    public static String flagdDefinition() {
        return "{\n"
                + "  \"flags\": {\n"
                + "    \"" + FLAG + "\": {\n"
                + "      \"state\": \"ENABLED\",\n"
                + "      \"variants\": { \"live\": \"live\", \"shadow\": \"shadow\" },\n"
                + "      \"defaultVariant\": \"shadow\",\n"
                + "      \"targeting\": { \"fractional\": [ [\"live\", " + PERCENT + "], [\"shadow\", "
                + (100 - PERCENT) + "] ] }\n"
                + "    }\n"
                + "  }\n"
                + "}\n";
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();

        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:flagway-bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        FlagAdmin admin = FlagAdmin.create(h2);
        admin.createTables();
        admin.createMigrationFlag(FLAG, Stage.SHADOW, "bench", "benchmark flag");
        admin.setRollout(FLAG, Stage.LIVE, PERCENT, "bench", "10% rollout");
        flagwayProvider = FlagwayProvider.builder(h2).build();
        api.setProviderAndWait(PREFIX + "flagway", flagwayProvider); // initialize() is the first refresh

        ContextEvaluatorImpl tenPercent = new ContextEvaluatorImpl();
        inMemoryProvider = new InMemoryProvider(Map.of(FLAG, Flag.<String>builder()
                .variant("live", "live").variant("shadow", "shadow").defaultVariant("shadow")
                .contextEvaluator(tenPercent).build()));
        api.setProviderAndWait(PREFIX + "memory", inMemoryProvider);

        flagdFile = Files.createTempFile("flagway-bench-flagd-", ".json");
        Files.writeString(flagdFile, flagdDefinition(), StandardCharsets.UTF_8);
        flagdProvider = new FlagdProvider(FlagdOptions.builder()
                .resolverType(Config.Resolver.FILE)
                .offlineFlagSourcePath(flagdFile.toString())
                .deadline(10_000)
                .build());
        api.setProviderAndWait(PREFIX + "flagd", flagdProvider);

        flagwayClient = api.getClient(PREFIX + "flagway");
        inMemoryClient = api.getClient(PREFIX + "memory");
        flagdClient = api.getClient(PREFIX + "flagd");

        contexts = new EvaluationContext[Keys.COUNT];
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = new ImmutableContext("user-" + (i * 7919L + 13));
        }
        for (Client client : new Client[] {flagwayClient, inMemoryClient, flagdClient}) {
            FlagEvaluationDetails<String> details = client.getStringDetails(FLAG, "off", contexts[0]);
            if (details.getErrorCode() != null) {
                throw new IllegalStateException(client.getMetadata().getDomain() + " answered " + details);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        for (String domain : new String[] {"flagway", "memory", "flagd"}) {
            api.getProvider(PREFIX + domain).shutdown();
        }
        try {
            Files.deleteIfExists(flagdFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The InMemoryProvider's rollout: {@code hashCode() mod 100 < 10}. */
    static final class ContextEvaluatorImpl implements dev.openfeature.sdk.providers.memory.ContextEvaluator<String> {
        @Override
        @SuppressWarnings("rawtypes") // the SDK's ContextEvaluator declares a raw Flag
        public String evaluate(Flag flag, EvaluationContext ctx) {
            String key = ctx.getTargetingKey();
            return key != null && Math.floorMod(key.hashCode(), 100) < PERCENT ? "live" : "shadow";
        }
    }

    /** Which of {@code keys} keys each provider puts in the rollout, and how often Flagway and flagd agree. */
    public double[] rolloutShares(int keys) {
        int flagway = 0;
        int memory = 0;
        int flagd = 0;
        int agree = 0;
        for (int i = 0; i < keys; i++) {
            ImmutableContext ctx = new ImmutableContext("user-" + i);
            boolean a = "live".equals(flagwayClient.getStringValue(FLAG, "off", ctx));
            boolean b = "live".equals(inMemoryClient.getStringValue(FLAG, "off", ctx));
            boolean c = "live".equals(flagdClient.getStringValue(FLAG, "off", ctx));
            flagway += a ? 1 : 0;
            memory += b ? 1 : 0;
            flagd += c ? 1 : 0;
            agree += a == c ? 1 : 0;
        }
        return new double[] {(double) flagway / keys, (double) memory / keys, (double) flagd / keys,
                (double) agree / keys};
    }

    private EvaluationContext nextContext() {
        return contexts[next = (next + 1) & (Keys.COUNT - 1)];
    }

    @Benchmark
    public FlagEvaluationDetails<String> client_flagway() {
        return flagwayClient.getStringDetails(FLAG, "off", nextContext());
    }

    @Benchmark
    public FlagEvaluationDetails<String> client_inMemory() {
        return inMemoryClient.getStringDetails(FLAG, "off", nextContext());
    }

    @Benchmark
    public FlagEvaluationDetails<String> client_flagd() {
        return flagdClient.getStringDetails(FLAG, "off", nextContext());
    }

    @Benchmark
    public ProviderEvaluation<String> provider_flagway() {
        return flagwayProvider.getStringEvaluation(FLAG, "off", nextContext());
    }

    @Benchmark
    public ProviderEvaluation<String> provider_inMemory() {
        return inMemoryProvider.getStringEvaluation(FLAG, "off", nextContext());
    }

    @Benchmark
    public ProviderEvaluation<String> provider_flagd() {
        return flagdProvider.getStringEvaluation(FLAG, "off", nextContext());
    }
}
