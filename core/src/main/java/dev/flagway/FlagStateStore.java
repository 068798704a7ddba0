package dev.flagway;

/**
 * A writable flag store that can switch a migration's modern path off for the whole fleet. When a
 * circuit breaker trips, Flagway calls {@link #disable} off the caller's thread so that every
 * instance reading the same flag store converges on the clamped stage ({@link Stage#DUAL_WRITE}).
 *
 * <p>The {@code flagway-openfeature-provider} module implements it on the application's database.
 */
@FunctionalInterface
public interface FlagStateStore {
    /**
     * Persists that reads of the migration behind {@code flagKey} must leave the modern path.
     *
     * @param flagKey the migration's flag key
     * @param actor who disables it, e.g. {@code circuit-breaker}
     * @param reason why, with the figures that caused it
     * @throws Exception when the store cannot be written; Flagway logs it and keeps the local clamp
     */
    void disable(String flagKey, String actor, String reason) throws Exception;
}
