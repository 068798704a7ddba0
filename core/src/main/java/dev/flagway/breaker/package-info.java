/**
 * The in-process circuit breaker that switches a migration's new path off on errors or latency
 * spikes: {@link dev.flagway.breaker.CircuitBreaker} over a sliding window, configured by
 * {@link dev.flagway.breaker.BreakerConfig}, reporting its transitions to
 * {@link dev.flagway.breaker.BreakerListener}s.
 */
package dev.flagway.breaker;
