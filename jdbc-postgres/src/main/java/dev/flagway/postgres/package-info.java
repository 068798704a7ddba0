/**
 * The PostgreSQL dialect of the engine: {@link dev.flagway.postgres.PostgresDialect} (lock-safe DDL
 * under {@code lock_timeout}, {@code CONCURRENTLY} index builds, advisory runner locks, replication and
 * WAL health signals, lock diagnostics from {@code pg_locks}).
 */
package dev.flagway.postgres;
