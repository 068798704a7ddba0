package dev.flagway.breaker;

import java.util.function.LongSupplier;

/** PLACEHOLDER until the breaker branch is merged. */
public final class CircuitBreaker {
    public enum State { CLOSED, OPEN, HALF_OPEN }
    private final String name;
    private final BreakerConfig config;
    private volatile State state = State.CLOSED;
    private final java.util.List<BreakerListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private CircuitBreaker(String name, BreakerConfig config) { this.name = name; this.config = config; }
    public static CircuitBreaker of(String name, BreakerConfig config) { return new CircuitBreaker(name, config); }
    public static CircuitBreaker of(String name, BreakerConfig config, LongSupplier clock) { return new CircuitBreaker(name, config); }
    public String name() { return name; }
    public BreakerConfig config() { return config; }
    public State state() { return state; }
    public boolean allowsModern() { return state != State.OPEN; }
    public void recordModernSuccess(long n) { }
    public void recordModernFailure(long n) { }
    public void recordLegacyLatency(long n) { }
    public void recordComparison(boolean m) { }
    public void forceOpen(String reason) { transition(State.OPEN, TransitionCause.MANUAL, reason); }
    public void reset(String actor) { transition(State.CLOSED, TransitionCause.RESET, actor); }
    public void addListener(BreakerListener l) { listeners.add(l); }
    public WindowSnapshot snapshot() { return new WindowSnapshot(0, 0, 0, java.time.Duration.ZERO, java.time.Duration.ZERO, 0, 0, 0); }
    private void transition(State to, TransitionCause cause, String d) {
        State from = state; state = to;
        BreakerTransition t = new BreakerTransition(name, from, to, cause, d, snapshot(), java.time.Instant.now());
        for (BreakerListener l : listeners) l.onTransition(t);
    }
}
