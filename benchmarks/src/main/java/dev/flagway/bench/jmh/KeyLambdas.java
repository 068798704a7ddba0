package dev.flagway.bench.jmh;

import dev.flagway.ThrowingSupplier;

/**
 * The lambdas a lambda-API caller would keep, made once per key of a {@link Keys}: so that a lambda
 * benchmark measures the router rather than the caller's capturing lambdas, and each still reads its
 * own row when a shadow read runs it later on another thread.
 */
final class KeyLambdas {
    final ThrowingSupplier<String, RuntimeException>[] legacyRead = supplierArray();
    final ThrowingSupplier<String, RuntimeException>[] modernRead = supplierArray();
    final ThrowingSupplier<Object, RuntimeException>[] legacyWrite = supplierArray();
    final ThrowingSupplier<Object, RuntimeException>[] modernWrite = supplierArray();

    /** Reads and writes of {@code newEmail} on each key of {@code keys}. */
    KeyLambdas(Keys keys, EmailRepository legacy, EmailRepository modern, String newEmail) {
        for (int i = 0; i < Keys.COUNT; i++) {
            long id = keys.id(i);
            legacyRead[i] = () -> legacy.email(id);
            modernRead[i] = () -> modern.email(id);
            legacyWrite[i] = () -> {
                legacy.updateEmail(id, newEmail);
                return null;
            };
            modernWrite[i] = () -> {
                modern.updateEmail(id, newEmail);
                return null;
            };
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> ThrowingSupplier<T, RuntimeException>[] supplierArray() {
        return (ThrowingSupplier<T, RuntimeException>[]) new ThrowingSupplier<?, ?>[Keys.COUNT];
    }
}
