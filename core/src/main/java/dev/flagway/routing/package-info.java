/**
 * Flagway's routing runtime: what an application builds and calls. {@link dev.flagway.routing.Flagway}
 * holds one {@link dev.flagway.routing.MigrationRuntime} per {@link dev.flagway.Migration};
 * {@link dev.flagway.routing.DualWriteRepository} wraps a repository interface so that its
 * {@link dev.flagway.FlagRouted @FlagRouted} reads and {@link dev.flagway.DualWrite @DualWrite} writes go
 * to the legacy or the new column by the request's {@link dev.flagway.Stage}, read from an OpenFeature
 * flag and clamped by the migration's circuit breaker. A call flows one way: its targeting key
 * resolves once to a stage, the stage's table picks the paths, the paths run.
 */
package dev.flagway.routing;
