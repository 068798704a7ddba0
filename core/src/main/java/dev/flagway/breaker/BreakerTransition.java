package dev.flagway.breaker;

import java.time.Instant;

/**
 * One state change of a {@link CircuitBreaker}, as handed to its {@link BreakerListener}s.
 *
 * @param breakerName the breaker's name (the migration id)
 * @param from the state before the change
 * @param to the state after the change
 * @param cause why it changed
 * @param description a human sentence with the numbers behind the change, fit for an audit log,
 *     e.g. "error rate 5.2% (52 of 1000 calls) above threshold 1.0% over 10s"
 * @param window the window's figures when the change happened (for a change to CLOSED: just before
 *     the window was cleared)
 * @param at wall-clock time of the change
 */
public record BreakerTransition(
        String breakerName,
        CircuitBreaker.State from,
        CircuitBreaker.State to,
        TransitionCause cause,
        String description,
        WindowSnapshot window,
        Instant at) {
}
