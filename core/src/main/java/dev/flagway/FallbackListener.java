package dev.flagway;

/**
 * Told of every fallback from a failed modern read to the legacy column, on the caller's thread: keep
 * it cheap and non-blocking. The contract gate's fallback journal is one; metrics already count them.
 */
@FunctionalInterface
public interface FallbackListener {
    /** A modern read of {@code migrationId} failed and was answered from the legacy column. */
    void onFallback(String migrationId);
}
