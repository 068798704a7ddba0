/**
 * The {@code flagway} command line ({@link dev.flagway.cli.FlagwayCli}): status, gate, verify, backfill,
 * contract, locks, kill and lint from a shell, with stable exit codes ({@link dev.flagway.cli.ExitCode}).
 */
package dev.flagway.cli;
