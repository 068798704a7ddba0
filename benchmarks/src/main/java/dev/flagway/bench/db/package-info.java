/**
 * Benchmarks against real databases: backfill, verification and routing at scale.
 */
package dev.flagway.bench.db;
