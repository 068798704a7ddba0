/**
 * Flagway's own test harness, not a published API: how tests find or start their databases
 * ({@link dev.flagway.testing.TestDatabase}), and helpers for traffic and fault injection.
 */
package dev.flagway.testing;
