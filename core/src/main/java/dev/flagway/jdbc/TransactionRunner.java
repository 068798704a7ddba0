package dev.flagway.jdbc;

import dev.flagway.ThrowingSupplier;
import java.sql.Connection;

/**
 * Runs work in a database transaction bound to the calling thread, so that the legacy and modern
 * parts of a dual write commit or roll back together. The application's own repositories join the
 * transaction through {@link DataSourceTransactionRunner#dataSource()} (plain JDBC) or
 * {@link JooqTransactionRunner#dsl()} (jOOQ).
 */
public interface TransactionRunner {
    /**
     * Runs {@code work} in a transaction: commits when it returns, rolls back and rethrows when it
     * throws. When this thread is already in a transaction of this runner, the work joins it.
     */
    <T, X extends Throwable> T inTransaction(ThrowingSupplier<T, X> work) throws X;

    /**
     * Runs {@code work} under a savepoint of this thread's transaction: when it throws, only its own
     * changes are rolled back (the transaction stays usable, also on PostgreSQL) and the exception is
     * rethrown.
     *
     * @throws IllegalStateException when this thread is not in a transaction of this runner
     */
    <T, X extends Throwable> T inSavepoint(ThrowingSupplier<T, X> work) throws X;

    /**
     * The connection of this thread's current transaction. Do not close or commit it.
     *
     * @throws IllegalStateException when this thread is not in a transaction of this runner
     */
    Connection currentConnection();

    /** Whether this thread is in a transaction of this runner. */
    boolean inTransaction();
}
