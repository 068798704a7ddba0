package dev.flagway.breaker;

/**
 * Told about every state change of a {@link CircuitBreaker}, synchronously on the thread that made
 * the change. Keep it quick and non-blocking where you can; an exception it throws is logged and
 * does not stop the breaker or the other listeners.
 */
@FunctionalInterface
public interface BreakerListener {
    /** Called once per state change, after the new state is in effect. */
    void onTransition(BreakerTransition transition);
}
