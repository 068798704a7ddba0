package dev.flagway;

/**
 * A piece of work that returns a value and may throw {@code X}. Lambdas that throw nothing infer
 * {@code X} as {@link RuntimeException}, so callers of the lambda API handle no checked exception
 * they did not write.
 *
 * @param <T> the result type
 * @param <X> the exception the work may throw
 */
@FunctionalInterface
public interface ThrowingSupplier<T, X extends Throwable> {
    /** Runs the work. */
    T get() throws X;
}
