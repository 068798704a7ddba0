package dev.flagway.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void slotsAreExactBelowEightNanos() {
        for (long nanos = 0; nanos < 8; nanos++) {
            assertThat(LatencyHistogram.midpoint(LatencyHistogram.slot(nanos))).isEqualTo(nanos);
        }
    }

    @Test
    void midpointIsWithinAnEighthOfEveryLatencyInItsSlot() {
        for (long nanos = 1; nanos < (1L << 40); nanos = nanos * 9 / 8 + 1) {
            for (long probe : new long[] {nanos, nanos - 1, nanos + 1}) {
                long estimate = LatencyHistogram.midpoint(LatencyHistogram.slot(probe));
                assertThat((double) Math.abs(estimate - probe)).as("estimate for %d", probe).isLessThanOrEqualTo(probe / 8.0);
            }
        }
    }

    @Test
    void slotsGrowWithLatency() {
        int previous = 0;
        for (long nanos = 0; nanos < (1L << 40); nanos = nanos * 17 / 16 + 1) {
            int slot = LatencyHistogram.slot(nanos);
            assertThat(slot).isGreaterThanOrEqualTo(previous).isLessThan(LatencyHistogram.SLOTS);
            previous = slot;
        }
    }

    @Test
    void clampsNegativeAndHugeLatencies() {
        assertThat(LatencyHistogram.slot(-5)).isZero();
        assertThat(LatencyHistogram.slot(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.SLOTS - 1);
    }

    @Test
    void countsPerSlot() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(1_000_000, 1);
        histogram.record(1_000_001, 1);
        histogram.record(5, 1);

        assertThat(histogram.count(LatencyHistogram.slot(1_000_000))).isEqualTo(2);
        assertThat(histogram.count(LatencyHistogram.slot(5))).isEqualTo(1);
    }
}
