package dev.flagway;

/**
 * The targeting key of the request running on this thread, for repository methods without a
 * {@link TargetingKey} parameter and for the lambda API. Set it where the request enters the
 * application and close the scope when it leaves:
 *
 * <pre>{@code
 * try (TargetingContext.Scope scope = TargetingContext.open(userId)) {
 *     handle(request);
 * }
 * }</pre>
 *
 * Scopes nest: closing one restores the key that was current when it was opened.
 */
public final class TargetingContext {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private TargetingContext() {
    }

    /**
     * Makes {@code targetingKey} current on this thread until the returned scope is closed.
     *
     * @throws IllegalArgumentException when the key is null or blank
     */
    public static Scope open(String targetingKey) {
        if (targetingKey == null || targetingKey.isBlank()) {
            throw new IllegalArgumentException("targeting key must not be null or blank");
        }
        String previous = CURRENT.get();
        CURRENT.set(targetingKey);
        return new Scope(previous);
    }

    /** The current targeting key of this thread, or {@code null} when no scope is open. */
    public static String current() {
        return CURRENT.get();
    }

    /** An open targeting scope; {@link #close()} restores the previous key. */
    public static final class Scope implements AutoCloseable {
        private final String previous;
        private boolean closed;

        private Scope(String previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
