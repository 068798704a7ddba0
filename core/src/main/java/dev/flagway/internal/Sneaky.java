package dev.flagway.internal;

/** Rethrows a throwable caught from work typed {@code throws X} as that same X. */
public final class Sneaky {
    private Sneaky() {
    }

    /** Throws {@code t} unchanged; the compiler sees an {@code X}. */
    @SuppressWarnings("unchecked")
    public static <X extends Throwable> RuntimeException rethrow(Throwable t) throws X {
        throw (X) t;
    }
}
