/**
 * The backfill: {@link dev.flagway.backfill.Backfill} fills a migration's new column from the legacy
 * one in keyset batches, each a short transaction with its checkpoint, throttled by
 * health signals, one runner per migration across the fleet.
 */
package dev.flagway.backfill;
