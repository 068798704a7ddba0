/**
 * One guarded lifecycle per migration: {@link dev.flagway.lifecycle.MigrationLifecycles} makes a
 * {@link dev.flagway.lifecycle.MigrationLifecycle} whose phase the fleet shares, which offers only the
 * legal moves from expand to contract, sets everything each move implies in one audited call, and wires
 * the contract gate's evidence by construction; {@link dev.flagway.lifecycle.MigrationStatus} says where
 * a migration stands.
 */
package dev.flagway.lifecycle;
