package dev.flagway.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FractionalBucketingTest {

    @Test
    void bucketsMatchFlagdTestbedValues() {
        // flagd testbed (fractional-nested-if-flag, bucketing on the targeting key alone): bv(100).
        assertThat(FractionalBucketing.bucket("jon@company.com", 100)).isEqualTo(36);
        assertThat(FractionalBucketing.bucket("user1", 100)).isEqualTo(76);
    }

    /** Computed once from the definition with this implementation and pinned: stable across JVM runs. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            users-emailuser-1             | e25dc1e9 | 88 | 8842 | 1 | 3
            users-emailuser-2             | 4816de40 | 28 | 2815 | 1 | 1
            users-emailuser-42            | 0799cfda |  2 |  296 | 0 | 0
            users-emailalice@example.com  | 148f4d7c |  8 |  803 | 0 | 0
            users-emailbob@example.com    | 0d617c21 |  5 |  522 | 0 | 0
            users-emailZoë                | f20d4b4e | 94 | 9455 | 1 | 3
            users-email日本語キー          | 7f9cc685 | 49 | 4984 | 1 | 1
            users-email12345              | 1d3ed368 | 11 | 1142 | 1 | 0
            users-email                   | e5792973 | 89 | 8963 | 1 | 3
            """)
    void pinnedBucketVectorsAreStable(String value, String hashHex, int bucket100, int bucket10000, int pick10of100,
                                      int pickOfFourQuarters) {
        assertThat(Murmur3.hash32(value)).isEqualTo(Integer.parseUnsignedInt(hashHex, 16));
        assertThat(FractionalBucketing.bucket(value, 100)).isEqualTo(bucket100);
        assertThat(FractionalBucketing.bucket(value, 10_000)).isEqualTo(bucket10000);
        assertThat(FractionalBucketing.pick(value, new int[] {10, 90})).isEqualTo(pick10of100);
        assertThat(FractionalBucketing.pick(value, new int[] {25, 25, 25, 25})).isEqualTo(pickOfFourQuarters);
    }

    @Test
    void aTenPercentRolloutHoldsTenPercentOfRandomKeysWithinHalfAPoint() {
        Random random = new Random(20240611L);
        int in = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            String key = new UUID(random.nextLong(), random.nextLong()).toString();
            if (FractionalBucketing.pick("users-email" + key, new int[] {1_000, 9_000}) == 0) {
                in++;
            }
        }
        assertThat(in * 100.0 / n).isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.5));
    }

    @Test
    void rampingTenToFiftyToHundredPercentNeverMovesAKeyOut() {
        Random random = new Random(7L);
        int[][] ramp = {{1_000, 9_000}, {5_000, 5_000}, {10_000, 0}};
        for (int i = 0; i < 20_000; i++) {
            String value = "orders-total" + random.nextInt();
            boolean wasIn = false;
            for (int[] step : ramp) {
                boolean isIn = FractionalBucketing.pick(value, step) == 0;
                assertThat(!wasIn || isIn).as("key %s left the rollout at %s", value, step[0]).isTrue();
                wasIn = isIn;
            }
            assertThat(wasIn).isTrue();
        }
    }

    @Test
    void proportionalWeightsPickTheSameIndex() {
        Random random = new Random(11L);
        for (int i = 0; i < 10_000; i++) {
            String value = "flag" + random.nextLong();
            assertThat(FractionalBucketing.pick(value, new int[] {1_000, 9_000}))
                    .isEqualTo(FractionalBucketing.pick(value, new int[] {10, 90}));
            assertThat(FractionalBucketing.pick(value, new int[] {2_550, 7_450}))
                    .isEqualTo(FractionalBucketing.pick(value, new int[] {51, 149}));
        }
    }

    @Test
    void aZeroWeightIsNeverPicked() {
        for (int i = 0; i < 5_000; i++) {
            assertThat(FractionalBucketing.pick("k" + i, new int[] {0, 3, 0, 1, 0})).isIn(1, 3);
        }
    }

    @Test
    void invalidWeightsAreRefusedWithSpecificMessages() {
        assertThatThrownBy(() -> FractionalBucketing.pick("x", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> FractionalBucketing.pick("x", new int[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> FractionalBucketing.pick("x", new int[] {10, -5}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight at index 1 is -5; weights must not be negative");
        assertThatThrownBy(() -> FractionalBucketing.pick("x", new int[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weights must have a positive total, but all 2 are 0");
        assertThatThrownBy(() -> FractionalBucketing.pick("x", new int[] {Integer.MAX_VALUE, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than the maximum");
        assertThatThrownBy(() -> FractionalBucketing.pick(null, new int[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bucketing value must not be null");
        assertThatThrownBy(() -> FractionalBucketing.bucket("x", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
    }
}
