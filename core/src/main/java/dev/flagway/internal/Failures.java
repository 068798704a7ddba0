package dev.flagway.internal;

/** Which throwables a fallback may absorb. */
public final class Failures {
    private Failures() {
    }

    /** Rethrows errors no fallback should hide (out of memory, stack overflow, internal JVM errors). */
    public static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
        }
    }

    /** A one-line description for logs and repair records. */
    public static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
    }

    /** {@link #describe(Throwable)} cut to {@code maxLength} characters, for a column of that size. */
    public static String describe(Throwable t, int maxLength) {
        String text = describe(t);
        return text.length() <= maxLength ? text : text.substring(0, maxLength);
    }
}
