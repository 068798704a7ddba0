package dev.flagway.breaker;
/** PLACEHOLDER. */
@FunctionalInterface public interface BreakerListener { void onTransition(BreakerTransition transition); }
