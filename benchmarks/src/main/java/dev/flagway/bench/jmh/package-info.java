/**
 * JMH benchmarks of the routing hot path, flag evaluation and the breaker, side by side with peers.
 */
package dev.flagway.bench.jmh;
