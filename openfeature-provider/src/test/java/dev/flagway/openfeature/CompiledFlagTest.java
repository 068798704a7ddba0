package dev.flagway.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompiledFlagTest {
    private static final int[] HALF = {5_000, 5_000};

    private static CompiledFlag halfRollout(String key) {
        return rollout(key, 50);
    }

    private static CompiledFlag rollout(String key, int percent) {
        return CompiledFlag.compile(new FlagStore.FlagRow(key, "string", true, "base", "rollout",
                BigDecimal.valueOf(percent), null, 1, "test", Instant.EPOCH));
    }

    private static void assertBucketedLikeTheConcatenation(CompiledFlag flag, String targetingKey) {
        boolean inRollout = FractionalBucketing.pick(flag.key + targetingKey, HALF) == 0;
        assertThat(flag.resolve(new ImmutableContext(targetingKey)).variant)
                .as("'%s' + %s", flag.key, targetingKey.chars().mapToObj(Integer::toHexString).toList())
                .isEqualTo(inRollout ? "rollout" : "base");
    }

    @Test
    void randomTargetingKeysOfEveryCharacterClassAreBucketedOnFlagKeyPlusTargetingKey() {
        Random random = new Random(44L);
        for (int i = 0; i < 200; i++) {
            CompiledFlag flag = halfRollout(RandomText.next(random, 12) + "f");
            for (int j = 0; j < 100; j++) {
                String targetingKey = RandomText.next(random, 16);
                if (!targetingKey.isEmpty()) {
                    assertBucketedLikeTheConcatenation(flag, targetingKey);
                }
            }
        }
    }

    @Test
    void aSurrogatePairSplitBetweenFlagKeyAndTargetingKeyIsBucketedAsOneCharacter() {
        // "flag\uD83D" + "\uDE00..." encodes U+1F600 across the boundary, not '?' twice.
        CompiledFlag flag = halfRollout("flag\uD83D");
        int inRollout = 0;
        for (int i = 0; i < 1_000; i++) {
            String targetingKey = "\uDE00user-" + i;
            assertBucketedLikeTheConcatenation(flag, targetingKey);
            inRollout += "rollout".equals(flag.resolve(new ImmutableContext(targetingKey)).variant) ? 1 : 0;
        }
        assertThat(inRollout).isBetween(400, 600);
    }

    @Test
    void aFlagKeyEndingInAnUnpairedHighSurrogateIsBucketedWithItsReplacementCharacter() {
        CompiledFlag flag = halfRollout("flag\uD83D");
        for (String targetingKey : new String[] {"user-1", "\uD83D\uDE00", "\uD83D", "\uDE00\uDE00", "é"}) {
            assertBucketedLikeTheConcatenation(flag, targetingKey);
        }
    }

    @Test
    void aFlagServingEveryKeyAlikeNeverReadsTheTargetingKey() {
        MutableContext unreadable = new MutableContext("user-1") {
            @Override
            public String getTargetingKey() {
                throw new AssertionError("the targeting key was read");
            }
        };
        assertThat(rollout("none", 0).resolve(unreadable).variant).isEqualTo("base");
        assertThat(rollout("all", 100).resolve(unreadable).variant).isEqualTo("rollout");
    }
}
