package dev.flagway.jdbc;

import dev.flagway.ThrowingSupplier;
import dev.flagway.internal.Checks;
import dev.flagway.internal.ServerDialect;
import java.sql.Connection;
import javax.sql.DataSource;
import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DataSourceConnectionProvider;
import org.jooq.impl.DefaultConfiguration;

/**
 * A {@link TransactionRunner} for jOOQ repositories: hand them {@link #dsl()}. Queries run on it
 * inside a transaction of this runner use the transaction's connection (and so its savepoints);
 * outside one they take ordinary connections. The transaction handling is
 * {@link DataSourceTransactionRunner}'s.
 */
public final class JooqTransactionRunner implements TransactionRunner {
    private final DataSourceTransactionRunner transactions;
    private final DSLContext dsl;

    private JooqTransactionRunner(DataSource dataSource, Configuration configuration) {
        this.transactions = new DataSourceTransactionRunner(dataSource);
        this.dsl = ServerDialect.using(configuration.derive(new DataSourceConnectionProvider(transactions.dataSource())));
    }

    /** A runner over {@code dataSource} with a plain configuration for {@code dialect}. */
    public static JooqTransactionRunner create(DataSource dataSource, SQLDialect dialect) {
        Checks.notNull("dialect", dialect);
        return create(dataSource, new DefaultConfiguration().set(dialect));
    }

    /**
     * A runner over {@code dataSource} that keeps the rest of the application's jOOQ
     * {@code configuration} (dialect, settings, listeners); only its connections are replaced.
     */
    public static JooqTransactionRunner create(DataSource dataSource, Configuration configuration) {
        Checks.notNull("data source", dataSource);
        Checks.notNull("jOOQ configuration", configuration);
        return new JooqTransactionRunner(dataSource, configuration);
    }

    /** The context repositories should run their queries on. */
    public DSLContext dsl() {
        return dsl;
    }

    @Override
    public <T, X extends Throwable> T inTransaction(ThrowingSupplier<T, X> work) throws X {
        return transactions.inTransaction(work);
    }

    @Override
    public <T, X extends Throwable> T inSavepoint(ThrowingSupplier<T, X> work) throws X {
        return transactions.inSavepoint(work);
    }

    @Override
    public Connection currentConnection() {
        return transactions.currentConnection();
    }

    @Override
    public boolean inTransaction() {
        return transactions.inTransaction();
    }
}
