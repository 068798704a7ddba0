/**
 * Verification: {@link dev.flagway.verify.Verifier} compares the legacy and the new column chunk by
 * chunk and reports the rows that differ ({@link dev.flagway.verify.VerificationReport}).
 */
package dev.flagway.verify;
