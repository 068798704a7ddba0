package dev.flagway.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerAllocationTest {
    private static final long MS = 1_000_000L;
    private static final int CALLS = 100_000;

    @Test
    void recordPathsAllocateNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "allocation counting unsupported by this JVM");
        threads.setThreadAllocatedMemoryEnabled(true);
        // a whole second: every call below falls into one bucket, so no bucket is renewed
        AtomicLong clock = new AtomicLong(1_000_000 * MS);
        CircuitBreaker breaker = CircuitBreaker.of("users-email",
                BreakerConfig.custom().p95LegacyRatioThreshold(3.0).build(), clock::get);

        exercise(breaker, clock); // warm-up: compiles the paths and creates the bucket
        long before = threads.getCurrentThreadAllocatedBytes();
        exercise(breaker, clock);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated by %d calls", CALLS).isLessThan(64 * 1024);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    /** Every hot-path method, with rare failures, slow calls and mismatches, and four due ratio checks. */
    private static void exercise(CircuitBreaker breaker, AtomicLong clock) {
        for (int i = 0; i < CALLS; i++) {
            if (i % (CALLS / 4) == 0) {
                clock.addAndGet(100 * MS);
            }
            breaker.allowsModern();
            long latency = (i % 100 + 1) * MS;
            switch (i % 4) {
                case 0 -> breaker.recordModernSuccess(i % 1000 == 0 ? 300 * MS : latency);
                case 1 -> {
                    if (i % 1000 == 1) {
                        breaker.recordModernFailure(latency);
                    } else {
                        breaker.recordModernSuccess(latency);
                    }
                }
                case 2 -> breaker.recordLegacyLatency(latency);
                default -> breaker.recordComparison(i % 1000 != 3);
            }
        }
    }
}
