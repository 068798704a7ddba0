package dev.flagway.jdbc;

import dev.flagway.ThrowingSupplier;
import dev.flagway.internal.Checks;
import java.sql.Connection;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DataSourceConnectionProvider;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.ThreadLocalTransactionProvider;

/**
 * A {@link TransactionRunner} over a jOOQ {@link DSLContext} whose transactions are thread-bound
 * ({@link ThreadLocalTransactionProvider}): queries the repositories run on {@link #dsl()} inside a
 * transaction of this runner use the transaction's connection, and nested work gets a savepoint.
 */
public final class JooqTransactionRunner implements TransactionRunner {
    private final DSLContext dsl;
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    /**
     * A runner over an application's context.
     *
     * @throws IllegalArgumentException when the context's transaction provider is not a
     *     {@link ThreadLocalTransactionProvider} (its repositories could not join the transaction)
     */
    public JooqTransactionRunner(DSLContext dsl) {
        Checks.notNull("DSLContext", dsl);
        if (!(dsl.configuration().transactionProvider() instanceof ThreadLocalTransactionProvider)) {
            throw new IllegalArgumentException("the DSLContext must use a ThreadLocalTransactionProvider so that "
                    + "repository queries join Flagway's transactions; it uses "
                    + dsl.configuration().transactionProvider().getClass().getName()
                    + " (or create the runner with JooqTransactionRunner.create(dataSource, dialect))");
        }
        this.dsl = dsl;
    }

    /** A runner with a new thread-bound context over {@code dataSource}. */
    public static JooqTransactionRunner create(DataSource dataSource, SQLDialect dialect) {
        Checks.notNull("data source", dataSource);
        Checks.notNull("dialect", dialect);
        DataSourceConnectionProvider connections = new DataSourceConnectionProvider(dataSource);
        return new JooqTransactionRunner(DSL.using(new DefaultConfiguration()
                .set(dialect)
                .set(connections)
                .set(new ThreadLocalTransactionProvider(connections, true))));
    }

    /** The context repositories should run their queries on. */
    public DSLContext dsl() {
        return dsl;
    }

    @Override
    public <T, X extends Throwable> T inTransaction(ThrowingSupplier<T, X> work) throws X {
        if (inTransaction()) {
            return work.get();
        }
        return transaction(work);
    }

    @Override
    public <T, X extends Throwable> T inSavepoint(ThrowingSupplier<T, X> work) throws X {
        if (!inTransaction()) {
            throw new IllegalStateException("no transaction of this runner is open on thread " + Thread.currentThread().getName());
        }
        return transaction(work); // a nested jOOQ transaction is a savepoint
    }

    @Override
    public Connection currentConnection() {
        if (!inTransaction()) {
            throw new IllegalStateException("no transaction of this runner is open on thread " + Thread.currentThread().getName());
        }
        return dsl.connectionResult(connection -> connection);
    }

    @Override
    public boolean inTransaction() {
        return depth.get()[0] > 0;
    }

    @SuppressWarnings("unchecked")
    private <T, X extends Throwable> T transaction(ThrowingSupplier<T, X> work) throws X {
        Throwable[] thrown = new Throwable[1];
        int[] level = depth.get();
        level[0]++;
        try {
            return dsl.transactionResult(configuration -> {
                try {
                    return work.get();
                } catch (Throwable t) {
                    thrown[0] = t;
                    throw t;
                }
            });
        } catch (RuntimeException | Error e) {
            // jOOQ wraps checked exceptions after rolling back: hand the caller its own exception.
            if (thrown[0] != null) {
                throw (X) thrown[0];
            }
            throw e;
        } finally {
            level[0]--;
        }
    }
}
