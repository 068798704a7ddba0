/**
 * Flagway in Liquibase: lock-safe expand and contract change types ({@code flagwayAddColumn},
 * {@code flagwayCreateIndex}, {@code flagwayContract}) and an executor that lints plain changesets and
 * gives each statement a lock timeout with bounded retries.
 */
package dev.flagway.liquibase;
