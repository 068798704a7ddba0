package dev.flagway.breaker;
/** PLACEHOLDER. */
public record BreakerTransition(String breakerName, CircuitBreaker.State from, CircuitBreaker.State to, TransitionCause cause, String description, WindowSnapshot window, java.time.Instant at) {}
