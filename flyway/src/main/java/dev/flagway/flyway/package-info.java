/**
 * Flagway in Flyway: lock-safe Java migrations ({@link dev.flagway.flyway.FlagwayJavaMigration},
 * {@link dev.flagway.flyway.FlagwayContractMigration}) and a callback ({@link dev.flagway.flyway.FlagwayCallback})
 * that gives plain SQL migrations a lock timeout with bounded retries and lints them before they run.
 */
package dev.flagway.flyway;
