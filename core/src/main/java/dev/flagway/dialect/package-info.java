/**
 * The service-provider interface a database server implements for the engine:
 * {@link dev.flagway.dialect.Dialect} (lock-safe DDL plans, timeouts, runner locks, health signals, lock
 * diagnostics), with {@link dev.flagway.dialect.H2Dialect} for tests. The PostgreSQL and MySQL/MariaDB
 * dialects live in their own artifacts.
 */
package dev.flagway.dialect;
