package dev.flagway.routing;

import dev.flagway.ThrowingSupplier;

/**
 * How a routed call runs each of its paths, prepared once and handed each call's own argument:
 * the {@link DualWriteRepository} proxy prepares one per repository method (the method on the
 * legacy and on the modern implementation, run on the call's arguments array), and the lambda API
 * uses {@link #suppliers()}, whose argument is the caller's supplier itself. Keeping the prepared
 * part apart from the argument is what spares a routed call from allocating closures.
 *
 * @param <A> the argument each path runs on
 * @param <X> what the paths may throw
 */
interface Paths<A, X extends Throwable> {
    /** The legacy read or write. */
    Object legacy(A argument) throws X;

    /** The modern read or write. */
    Object modern(A argument) throws X;

    /** The read that answers when the modern read fails. */
    Object fallback(A argument) throws X;

    /** Paths whose argument is the {@link ThrowingSupplier} to run. */
    @SuppressWarnings("unchecked")
    static <X extends Throwable> Paths<ThrowingSupplier<?, X>, X> suppliers() {
        return (Paths<ThrowingSupplier<?, X>, X>) (Paths<?, ?>) Suppliers.INSTANCE;
    }

    /** See {@link #suppliers()}. */
    final class Suppliers<X extends Throwable> implements Paths<ThrowingSupplier<?, X>, X> {
        private static final Suppliers<Throwable> INSTANCE = new Suppliers<>();

        private Suppliers() {
        }

        @Override
        public Object legacy(ThrowingSupplier<?, X> argument) throws X {
            return argument.get();
        }

        @Override
        public Object modern(ThrowingSupplier<?, X> argument) throws X {
            return argument.get();
        }

        @Override
        public Object fallback(ThrowingSupplier<?, X> argument) throws X {
            return argument.get();
        }
    }
}
