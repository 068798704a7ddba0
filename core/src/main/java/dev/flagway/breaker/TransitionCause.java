package dev.flagway.breaker;

/** Why a {@link CircuitBreaker} changed state. */
public enum TransitionCause {
    /** CLOSED to OPEN: the share of failed modern calls exceeded the threshold. */
    ERROR_RATE,
    /** CLOSED to OPEN: the modern p95 latency exceeded the SLA (more than 5% of calls were slower). */
    P95_LATENCY,
    /** CLOSED to OPEN: the modern p95 latency exceeded the configured multiple of the legacy p95. */
    P95_LEGACY_RATIO,
    /** CLOSED to OPEN: the share of mismatching shadow comparisons exceeded the threshold. */
    MISMATCH_RATE,
    /** To OPEN by {@link CircuitBreaker#forceOpen(String)}; such an open stays until reset. */
    MANUAL,
    /** OPEN to HALF_OPEN: the configured wait in open elapsed. */
    WAIT_ELAPSED,
    /** HALF_OPEN to OPEN: a probe call failed or was slower than the SLA. */
    PROBE_FAILED,
    /** HALF_OPEN to CLOSED: all probe calls succeeded within the SLA. */
    PROBE_PASSED,
    /** To CLOSED by {@link CircuitBreaker#reset(String)}. */
    RESET
}
