package dev.flagway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.flagway.ShadowComparator;
import dev.flagway.ShadowConfig;
import dev.flagway.Stage;
import dev.flagway.config.FlagwaySettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShadowReadTest {

    @Test
    void hangingModernShadowReadNeverHoldsTheCaller() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicReference<String> shadowThread = new AtomicReference<>();
        try (Fixture fx = Fixture.create(
                m -> m.shadow(ShadowConfig.custom().timeout(Duration.ofMillis(200)).build()), b -> b)) {
            fx.flags.stage(Stage.SHADOW);

            // A liveness bound, not a timing claim: were the caller waiting on the shadow read it would never return.
            String result = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> fx.runtime.reader().read("k",
                    () -> "legacy", () -> {
                        shadowThread.set(Thread.currentThread().getName());
                        never.await();
                        return "modern";
                    }));

            assertThat(result).isEqualTo("legacy");
            Fixture.await("the shadow timeout", () -> fx.count("flagway.shadow.reads", "outcome", "timeout") == 1.0);
            assertThat(shadowThread.get()).startsWith("flagway-shadow-");
            assertThat(fx.runtime.breaker().snapshot().failures()).isEqualTo(1);
        } finally {
            never.countDown();
        }
    }

    @Test
    void saturatedShadowPoolDropsAndCountsInsteadOfWaiting() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        FlagwaySettings oneSlot = FlagwaySettings.custom().shadowThreads(1).shadowQueueCapacity(1).build();
        try (Fixture fx = Fixture.create(
                m -> m.shadow(ShadowConfig.custom().timeout(Duration.ofSeconds(30)).build()), b -> b.settings(oneSlot))) {
            fx.flags.stage(Stage.SHADOW);

            for (int i = 0; i < 10; i++) {
                assertThat(fx.runtime.reader().read("k" + i, () -> "legacy", () -> {
                    release.await();
                    return "legacy";
                })).isEqualTo("legacy");
            }

            // one running, one queued, eight dropped
            assertThat(fx.count("flagway.shadow.reads", "outcome", "dropped")).isEqualTo(8.0);
            release.countDown();
            Fixture.await("the two accepted comparisons", () -> fx.count("flagway.shadow.reads", "outcome", "match") == 2.0);
        }
    }

    @Test
    void failingShadowReadIsCountedAndFedToTheBreakerButNotToTheCaller() {
        try (Fixture fx = Fixture.create()) {
            fx.flags.stage(Stage.SHADOW);

            String result = fx.runtime.reader().read("k", () -> "legacy", () -> {
                throw new IllegalStateException("modern broken");
            });

            assertThat(result).isEqualTo("legacy");
            Fixture.await("the shadow failure", () -> fx.count("flagway.shadow.reads", "outcome", "failure") == 1.0);
            assertThat(fx.runtime.breaker().snapshot().failures()).isEqualTo(1);
        }
    }

    @Test
    void liveStageSamplesTheLegacyReadForComparison() {
        try (Fixture fx = Fixture.create(m -> m.shadow(ShadowConfig.custom().liveSampleRate(1.0).build()), b -> b)) {
            fx.flags.stage(Stage.LIVE);

            assertThat(fx.runtime.reader().read("k", () -> "legacy", () -> "modern")).isEqualTo("modern");

            Fixture.await("the sampled comparison", () -> fx.count("flagway.shadow.mismatches") == 1.0);
            assertThat(fx.count("flagway.shadow.reads", "outcome", "superseded")).as("live still writes legacy").isZero();
            assertThat(fx.runtime.breaker().totals().mismatches()).isEqualTo(1);
        }
    }

    /**
     * A read sampled at ramp_down whose legacy read runs after the key moved to complete: a write since
     * went to the new column alone, so the legacy value is stale by design, not a mismatch.
     */
    @Test
    void disagreementFoundAfterTheKeyMovedToCompleteIsSupersededNotAMismatch() {
        try (Fixture fx = Fixture.create(m -> m.shadow(ShadowConfig.custom().liveSampleRate(1.0).build()), b -> b)) {
            fx.flags.stage(Stage.RAMP_DOWN);
            AtomicReference<String> modernColumn = new AtomicReference<>("old");

            String answer = fx.runtime.reader().read("k", () -> "old", () -> {
                fx.flags.stage(Stage.COMPLETE);
                modernColumn.set("written at complete"); // the new column alone
                return modernColumn.get();
            });

            assertThat(answer).isEqualTo("written at complete");
            Fixture.await("the superseded comparison",
                    () -> fx.count("flagway.shadow.reads", "outcome", "superseded") == 1.0);
            assertThat(fx.count("flagway.shadow.mismatches")).isZero();
            assertThat(fx.runtime.breaker().totals().mismatches()).isZero();
        }
    }

    @Test
    void deterministicSamplingPicksTheSameKeysEveryTime() {
        Map<String, AtomicInteger> sampled = new ConcurrentHashMap<>();
        try (Fixture fx = Fixture.create(
                m -> m.shadow(ShadowConfig.custom().sampleRate(0.3).deterministic(true).build()), b -> b)) {
            fx.flags.stage(Stage.SHADOW);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 200; i++) {
                    String key = "user-" + i;
                    fx.runtime.reader().read(key, () -> "legacy", () -> {
                        sampled.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        return "legacy";
                    });
                }
            }
            Set<String> expected = IntStream.range(0, 200).mapToObj(i -> "user-" + i)
                    .filter(key -> Sampler.sampled(key, 0.3, true)).collect(Collectors.toSet());
            Fixture.await("the comparisons", () -> fx.count("flagway.shadow.reads") == 3.0 * expected.size());
            assertThat(expected.size()).isBetween(30, 90);
            assertThat(sampled.keySet()).isEqualTo(expected);
        }
        assertThat(sampled.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(3));
    }

    @Test
    void canonicalBytesComparatorCatchesWhatEqualsWouldMissAndIgnoresBoxing() {
        ShadowComparator bytes = ShadowComparator.canonicalBytes();

        assertThat(bytes.matches(42, 42L)).isTrue();
        assertThat(bytes.matches("Zoë", "Zoe\u0308")).isFalse();
        assertThat(bytes.matches("truncated value", "truncated val")).isFalse();
        assertThat(bytes.matches(java.util.Optional.of("x"), "x")).isTrue();
        assertThat(bytes.matches(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
        assertThat(bytes.matches(java.util.List.of("a", "b"), java.util.List.of("a,b"))).isFalse();
        assertThat(bytes.matches(null, "null")).isFalse();
    }
}
