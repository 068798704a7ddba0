/**
 * Flagway's benchmarks: the entry point and the JMH suite runner.
 */
package dev.flagway.bench;
