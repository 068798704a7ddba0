package dev.flagway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.FlagRouted;
import dev.flagway.ShadowConfig;
import dev.flagway.Stage;
import dev.flagway.TargetingContext;
import dev.flagway.TargetingKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StageRoutingTest {
    private Fixture fx;

    @BeforeEach
    void setUp() {
        fx = Fixture.create();
        fx.legacy.rows.put(1L, "Ann@Example.com");
        fx.modern.rows.put(1L, "ann@example.com");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    void proxyReadsTheColumnTheStageTableNames(Stage stage) {
        fx.flags.stage(stage);

        String email = fx.repository.email(1L);

        assertThat(email).isEqualTo(stage.readsModern() ? "ann@example.com" : "Ann@Example.com");
        assertThat(fx.count("flagway.reads", "stage", stage.flagValue(),
                "path", stage.readsModern() ? "modern" : "legacy", "outcome", "success")).isEqualTo(1.0);
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    void lambdaReaderReadsTheColumnTheStageTableNames(Stage stage) {
        fx.flags.stage(stage);

        String email = fx.runtime.reader().read("1", () -> fx.legacy.email(1L), () -> fx.modern.email(1L));

        assertThat(email).isEqualTo(stage.readsModern() ? "ann@example.com" : "Ann@Example.com");
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    void proxyWritesTheColumnsTheStageTableNames(Stage stage) {
        fx.flags.stage(stage);

        fx.repository.setEmail(2L, "Bob@Example.com");

        assertThat(fx.legacy.rows.containsKey(2L)).isEqualTo(stage.writesLegacy());
        assertThat(fx.modern.rows.containsKey(2L)).isEqualTo(stage.writesModern());
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    void lambdaWriterWritesTheColumnsTheStageTableNames(Stage stage) {
        fx.flags.stage(stage);

        fx.runtime.writer().write("2", 2L,
                () -> { fx.legacy.setEmail(2L, "b"); return null; },
                () -> { fx.modern.setEmail(2L, "b"); return null; });

        assertThat(fx.legacy.writes.get()).isEqualTo(stage.writesLegacy() ? 1 : 0);
        assertThat(fx.modern.writes.get()).isEqualTo(stage.writesModern() ? 1 : 0);
    }

    @Test
    void shadowStageReturnsLegacyAndComparesModernOffTheCallersThread() {
        fx.flags.stage(Stage.SHADOW);

        assertThat(fx.repository.email(1L)).isEqualTo("Ann@Example.com");

        Fixture.await("the shadow comparison", () -> fx.count("flagway.shadow.reads") == 1.0);
        assertThat(fx.modern.reads.get()).isEqualTo(1);
        assertThat(fx.count("flagway.shadow.mismatches")).isEqualTo(1.0);
        assertThat(fx.runtime.breaker().snapshot().comparisons()).isEqualTo(1);
    }

    @Test
    void shadowComparisonOfEqualValuesCountsAMatch() {
        fx.modern.rows.put(1L, "Ann@Example.com");
        fx.flags.stage(Stage.SHADOW);

        fx.repository.email(1L);

        Fixture.await("the shadow comparison", () -> fx.count("flagway.shadow.reads", "outcome", "match") == 1.0);
        assertThat(fx.count("flagway.shadow.mismatches")).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Stage.class, names = {"LIVE", "RAMP_DOWN"})
    void failingModernReadFallsBackToLegacyAndIsCounted(Stage stage) {
        fx.flags.stage(stage);
        fx.modern.failing.set(true);

        assertThat(fx.repository.email(1L)).isEqualTo("Ann@Example.com");
        assertThat(fx.count("flagway.fallbacks", "stage", stage.flagValue())).isEqualTo(1.0);
        assertThat(fx.count("flagway.reads", "path", "modern", "outcome", "error")).isEqualTo(1.0);
        assertThat(fx.runtime.breaker().snapshot().failures()).isEqualTo(1);
    }

    @Test
    void namedFallbackMethodAnswersAFailedModernRead() {
        FallbackRepository repo = DualWriteRepository.of(FallbackRepository.class)
                .legacy(new FixedNames("legacy name", "cached legacy name"))
                .modern(new FixedNames(null, "cached modern name"))
                .migration(fx.runtime).wrap();

        fx.flags.stage(Stage.OFF);
        assertThat(repo.name(1L)).isEqualTo("legacy name");
        fx.flags.stage(Stage.LIVE);
        assertThat(repo.name(1L)).isEqualTo("cached legacy name");
    }

    @Test
    void completeStageHasNoFallbackSoAModernFailureReachesTheCaller() {
        fx.flags.stage(Stage.COMPLETE);
        fx.modern.failing.set(true);

        assertThatThrownBy(() -> fx.repository.email(1L)).isInstanceOf(IllegalStateException.class)
                .hasMessage("modern read failed");
        assertThat(fx.legacy.reads.get()).isZero();
    }

    @Test
    void legacyFailureReachesTheCallerUnchangedWithItsCheckedType() {
        fx.flags.stage(Stage.OFF);
        fx.legacy.failing.set(true);

        assertThatThrownBy(() -> fx.repository.checkedRead(1L)).isExactlyInstanceOf(IOException.class)
                .hasMessage("legacy checked read failed");
    }

    @Test
    void failedModernWriteWithoutTransactionRunnerKeepsTheLegacyWriteAndCountsIt() {
        fx.flags.stage(Stage.DUAL_WRITE);
        fx.modern.failing.set(true);

        fx.repository.setEmail(3L, "c@example.com");

        assertThat(fx.legacy.rows).containsEntry(3L, "c@example.com");
        assertThat(fx.count("flagway.writes", "path", "modern", "outcome", "error")).isEqualTo(1.0);
        assertThat(fx.count("flagway.repairs", "outcome", "unrecorded")).isEqualTo(1.0);
    }

    @Test
    void defaultMethodRunsOnTheProxySoItsCallsAreRouted() {
        fx.flags.stage(Stage.LIVE);

        assertThat(fx.repository.shout(1L)).isEqualTo("ANN@EXAMPLE.COM");
        assertThat(fx.modern.reads.get()).isEqualTo(1);
    }

    @Test
    void proxyHasItsOwnIdentityEqualsHashCodeAndToString() {
        EmailRepository other = DualWriteRepository.of(EmailRepository.class)
                .legacy(fx.legacy).modern(fx.modern).migration(fx.runtime).wrap();

        assertThat(fx.repository).isEqualTo(fx.repository).isNotEqualTo(other);
        assertThat(fx.repository.hashCode()).isEqualTo(System.identityHashCode(fx.repository));
        assertThat(fx.repository.toString())
                .isEqualTo("DualWriteRepository[dev.flagway.routing.EmailRepository, migration=users-email]");
    }

    @Test
    void everyMethodIsRoutedRightWhenManyThreadsMakeTheFirstCallsTogether() throws Exception {
        // no live sampling: the two columns differ on purpose, which would trip the breaker on mismatches
        try (Fixture f = Fixture.create(m -> m.shadow(ShadowConfig.custom().liveSampleRate(0.0).build()), b -> b)) {
            f.flags.values(key -> Long.parseLong(key) % 2 == 0 ? "live" : "dual_write");
            int threads = 16;
            int callsEach = 500;
            for (long id = 0; id < threads; id++) {
                f.legacy.rows.put(id, "legacy-" + id);
                f.modern.rows.put(id, "modern-" + id);
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long id = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < callsEach; i++) {
                        String expected = (id % 2 == 0 ? "modern-" : "legacy-") + id;
                        check(wrong, "email", f.repository.email(id), expected);
                        check(wrong, "checkedRead", f.repository.checkedRead(id), expected);
                        check(wrong, "shout", f.repository.shout(id), expected.toUpperCase());
                        check(wrong, "hashCode", f.repository.hashCode(), System.identityHashCode(f.repository));
                        check(wrong, "equals", f.repository.equals(f.repository), true);
                    }
                    return wrong;
                }));
            }
            start.countDown();
            for (Future<List<String>> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEmpty();
            }
            pool.shutdown();
            assertThat(f.count("flagway.reads", "stage", "live", "path", "modern", "outcome", "success"))
                    .isEqualTo(threads / 2 * callsEach * 3.0);
        }
    }

    private static void check(List<String> wrong, String call, Object actual, Object expected) {
        if (!expected.equals(actual)) {
            wrong.add(call + " gave " + actual + " instead of " + expected);
        }
    }

    @Test
    void targetingKeyComesFromTheAnnotatedParameter() {
        fx.flags.values(key -> "7".equals(key) ? "live" : "off");
        fx.modern.rows.put(7L, "seven@modern");
        fx.legacy.rows.put(7L, "seven@legacy");

        assertThat(fx.repository.email(7L)).isEqualTo("seven@modern");
        assertThat(fx.repository.email(1L)).isEqualTo("Ann@Example.com");
    }

    @Test
    void lambdaApiTakesTheTargetingKeyFromTheContext() {
        fx.flags.values(key -> "user-9".equals(key) ? "live" : "off");

        String outside = fx.runtime.reader().read(() -> "legacy", () -> "modern");
        String inside;
        try (TargetingContext.Scope scope = TargetingContext.open("user-9")) {
            inside = fx.runtime.reader().read(() -> "legacy", () -> "modern");
        }

        assertThat(outside).isEqualTo("legacy");
        assertThat(inside).isEqualTo("modern");
        assertThat(TargetingContext.current()).isNull();
    }

    /** Answers fixed names; a null name means the call fails. */
    static final class FixedNames implements FallbackRepository {
        private final String name;
        private final String cachedName;

        FixedNames(String name, String cachedName) {
            this.name = name;
            this.cachedName = cachedName;
        }

        @Override
        public String name(long id) {
            if (name == null) {
                throw new IllegalStateException("name lookup failed");
            }
            return name;
        }

        @Override
        public String cachedName(long id) {
            return cachedName;
        }
    }

    /** A repository with a fallback method. */
    interface FallbackRepository {
        @FlagRouted(fallback = "cachedName")
        String name(@TargetingKey long id);

        @FlagRouted
        String cachedName(@TargetingKey long id);
    }
}
