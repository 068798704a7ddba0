package dev.flagway.routing;

import dev.flagway.ThrowingSupplier;
import dev.flagway.jdbc.TransactionRunner;
import java.sql.Connection;

/**
 * The runner of a {@link Flagway} built without {@link Flagway.Builder#transactionRunner a transaction
 * runner}: the two writes of a dual write each run on their own, and a failed modern write is neither
 * repaired nor recorded (there is no transaction to do it in), which the {@link DualWriter} knows from
 * this runner.
 */
final class NoTransactions implements TransactionRunner {
    static final NoTransactions INSTANCE = new NoTransactions();

    private NoTransactions() {
    }

    /** Runs {@code work} as it is, outside any transaction. */
    @Override
    public <T, X extends Throwable> T inTransaction(ThrowingSupplier<T, X> work) throws X {
        return work.get();
    }

    /** Runs {@code work} as it is: without a transaction there is nothing to roll back to. */
    @Override
    public <T, X extends Throwable> T inSavepoint(ThrowingSupplier<T, X> work) throws X {
        return work.get();
    }

    /** @throws IllegalStateException always: there is no transaction */
    @Override
    public Connection currentConnection() {
        throw new IllegalStateException("no transaction runner is configured: call Flagway.builder()"
                + ".transactionRunner(...) to run dual writes in a transaction");
    }

    @Override
    public boolean inTransaction() {
        return false;
    }

    @Override
    public String toString() {
        return "no transactions";
    }
}
