package dev.flagway.jdbc;

import dev.flagway.ThrowingSupplier;
import dev.flagway.internal.Checks;
import dev.flagway.internal.DelegatingDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import javax.sql.DataSource;

/**
 * A {@link TransactionRunner} over a plain JDBC {@link DataSource}. Hand {@link #dataSource()} to
 * your repositories: inside a transaction of this runner it returns the transaction's connection
 * (closing it is a no-op), outside one it returns ordinary connections of the target.
 */
public final class DataSourceTransactionRunner implements TransactionRunner {
    private final DataSource target;
    private final ThreadLocal<Bound> current = new ThreadLocal<>();
    private final DataSource aware;

    /** A runner over {@code target}, typically a connection pool. */
    public DataSourceTransactionRunner(DataSource target) {
        this.target = Checks.notNull("data source", target);
        this.aware = new TransactionAwareDataSource();
    }

    /** The data source repositories should use so that their statements join this runner's transactions. */
    public DataSource dataSource() {
        return aware;
    }

    @Override
    public <T, X extends Throwable> T inTransaction(ThrowingSupplier<T, X> work) throws X {
        if (current.get() != null) {
            return work.get();
        }
        Connection connection = open();
        current.set(new Bound(connection));
        try {
            T result = work.get();
            commit(connection);
            return result;
        } catch (Throwable t) {
            rollbackQuietly(connection, t);
            throw t;
        } finally {
            current.remove();
            closeQuietly(connection);
        }
    }

    @Override
    public <T, X extends Throwable> T inSavepoint(ThrowingSupplier<T, X> work) throws X {
        Connection connection = currentConnection();
        Savepoint savepoint;
        try {
            savepoint = connection.setSavepoint();
        } catch (SQLException e) {
            throw new TransactionException("could not set a savepoint", e);
        }
        T result;
        try {
            result = work.get();
        } catch (Throwable t) {
            try {
                connection.rollback(savepoint);
            } catch (SQLException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        try {
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw new TransactionException("could not release a savepoint", e);
        }
        return result;
    }

    @Override
    public Connection currentConnection() {
        Bound bound = current.get();
        if (bound == null) {
            throw new IllegalStateException("no transaction of this runner is open on thread " + Thread.currentThread().getName());
        }
        return bound.connection;
    }

    @Override
    public boolean inTransaction() {
        return current.get() != null;
    }

    private Connection open() {
        try {
            Connection connection = target.getConnection();
            if (connection.getAutoCommit()) {
                connection.setAutoCommit(false);
            }
            return connection;
        } catch (SQLException e) {
            throw new TransactionException("could not open a transaction", e);
        }
    }

    private static void commit(Connection connection) {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw new TransactionException("commit failed", e);
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the pool validates the connection before reusing it
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to release
        }
    }

    /** A thread's open transaction, with the no-close view handed to repositories. */
    private static final class Bound {
        final Connection connection;
        final Connection unclosable;

        Bound(Connection connection) {
            this.connection = connection;
            this.unclosable = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "close":
                                return null;
                            case "equals":
                                return proxy == args[0];
                            case "hashCode":
                                return System.identityHashCode(proxy);
                            case "toString":
                                return "TransactionBound[" + connection + "]";
                            default:
                                try {
                                    return method.invoke(connection, args);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                        }
                    });
        }
    }

    /** Hands out the thread's transaction connection when there is one. */
    private final class TransactionAwareDataSource extends DelegatingDataSource {
        TransactionAwareDataSource() {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            Bound bound = current.get();
            return bound != null ? bound.unclosable : target.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            Bound bound = current.get();
            return bound != null ? bound.unclosable : target.getConnection(username, password);
        }
    }
}
