package dev.flagway.routing;

/** Rethrows a throwable caught from work typed {@code throws X} as that same X. */
final class Sneaky {
    private Sneaky() {
    }

    /** Throws {@code t} unchanged; the compiler sees an {@code X}. */
    @SuppressWarnings("unchecked")
    public static <X extends Throwable> RuntimeException rethrow(Throwable t) throws X {
        throw (X) t;
    }
}
