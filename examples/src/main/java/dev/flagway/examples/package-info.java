/**
 * The demo: {@link dev.flagway.examples.MigrationDemo} migrates a column under simulated traffic and
 * checks that Flagway kept its promises.
 */
package dev.flagway.examples;
