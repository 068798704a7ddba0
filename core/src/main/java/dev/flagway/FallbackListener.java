package dev.flagway;

import java.util.List;

/**
 * Told of every fallback from a failed modern read to the legacy column, on the caller's thread: keep
 * it cheap and non-blocking. The contract gate's fallback journal is one; metrics already count them.
 */
@FunctionalInterface
public interface FallbackListener {
    /** A modern read of {@code migrationId} failed and was answered from the legacy column. */
    void onFallback(String migrationId);

    /**
     * The listeners this one tells: itself, or the members of {@link #allOf}. The lifecycle looks here for
     * the fallback journal the contract gate must count.
     */
    default List<FallbackListener> members() {
        return List.of(this);
    }

    /** One listener telling each of {@code listeners} in order; the only one when there is one. */
    static FallbackListener allOf(List<FallbackListener> listeners) {
        List<FallbackListener> all = List.copyOf(listeners);
        if (all.size() == 1) {
            return all.get(0);
        }
        FallbackListener[] each = all.toArray(FallbackListener[]::new);
        return new FallbackListener() {
            @Override
            public void onFallback(String migrationId) {
                for (FallbackListener listener : each) {
                    listener.onFallback(migrationId);
                }
            }

            @Override
            public List<FallbackListener> members() {
                return all.stream().flatMap(l -> l.members().stream()).toList();
            }
        };
    }
}
