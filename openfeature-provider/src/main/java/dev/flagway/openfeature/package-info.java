/**
 * An OpenFeature provider whose flags live in the application's own database:
 * {@link dev.flagway.openfeature.FlagwayProvider} evaluates from an in-memory snapshot a daemon thread
 * refreshes, {@link dev.flagway.openfeature.FlagAdmin} changes flags with audit and version checks.
 */
package dev.flagway.openfeature;
