/**
 * Flagway's routing runtime: what an application builds and calls. {@link dev.flagway.Flagway} holds
 * one {@link dev.flagway.MigrationRuntime} per {@link dev.flagway.Migration}; {@link
 * dev.flagway.DualWriteRepository} wraps a repository interface so that its
 * {@link dev.flagway.FlagRouted @FlagRouted} reads and {@link dev.flagway.DualWrite @DualWrite} writes go
 * to the legacy or the new column by the request's {@link dev.flagway.Stage}, read from an OpenFeature
 * flag and clamped by the migration's circuit breaker.
 */
package dev.flagway;
