package dev.flagway.spring;

import dev.flagway.ThrowingSupplier;
import dev.flagway.jdbc.TransactionRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Flagway's {@link TransactionRunner} on Spring's transaction management: a dual write joins the
 * caller's transaction ({@code @Transactional}, {@code TransactionTemplate}) and starts one through
 * the application's {@link PlatformTransactionManager} when there is none, so that the legacy write,
 * the modern write, the repair record and the caller's own work commit or roll back together.
 *
 * <p>The modern part runs under a savepoint of the transaction's JDBC connection, set and rolled back
 * through Spring's {@link ConnectionHolder}, which every JDBC-capable transaction manager binds for
 * the data source: {@code DataSourceTransactionManager} and {@code JdbcTransactionManager} (and so
 * {@code JdbcTemplate}, {@code JdbcClient}, Spring Data JDBC), and {@code JpaTransactionManager},
 * which exposes its {@code EntityManager}'s connection. The savepoint is not taken with
 * {@code PROPAGATION_NESTED} because {@code JpaTransactionManager} refuses it with Hibernate (its
 * {@code HibernateJpaDialect} manages no savepoints). {@link SavepointParticipant}s (the JPA one the
 * starter registers) flush the persistence context before the savepoint and at the end of the work
 * under it, so that a failing modern write fails inside the savepoint, and forget the modern changes
 * when it is rolled back.
 *
 * <p>A failure inside a {@code @Transactional} method that joined the transaction (a Spring Data
 * repository's {@code save}, say) marks the whole transaction rollback-only; after rolling back to the
 * savepoint the runner clears that mark again, as Spring's own nested transactions do, so the legacy
 * write still commits. The mark Hibernate keeps on its own JPA transaction cannot be cleared: see
 * {@link HibernateSavepointParticipant}.
 *
 * <p>A JTA transaction manager binds no JDBC connection: the first dual write then fails with an
 * {@link IllegalStateException} saying so.
 */
public final class SpringTransactionRunner implements TransactionRunner {
    private static final TransactionDefinition REQUIRED = new DefaultTransactionDefinition(
            TransactionDefinition.PROPAGATION_REQUIRED);

    private final PlatformTransactionManager transactionManager;
    private final DataSource dataSource;
    private final List<SavepointParticipant> participants;

    /**
     * A runner over the application's transaction manager.
     *
     * @param transactionManager the manager of the transactions the application's repositories run in
     * @param dataSource the data source that manager binds connections for (the one the repositories use)
     * @param participants told about every savepoint, in this order (e.g. the JPA persistence contexts)
     */
    public SpringTransactionRunner(PlatformTransactionManager transactionManager, DataSource dataSource,
                                   List<? extends SavepointParticipant> participants) {
        this.transactionManager = Objects.requireNonNull(transactionManager, "transaction manager");
        this.dataSource = Objects.requireNonNull(dataSource, "data source");
        this.participants = List.copyOf(participants);
    }

    /** Joins the thread's transaction, or starts one with {@code PROPAGATION_REQUIRED}. */
    @Override
    public <T, X extends Throwable> T inTransaction(ThrowingSupplier<T, X> work) throws X {
        TransactionStatus status = transactionManager.getTransaction(REQUIRED);
        T result;
        try {
            result = work.get();
        } catch (Throwable failure) {
            try {
                transactionManager.rollback(status);
            } catch (RuntimeException | Error rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            throw failure;
        }
        transactionManager.commit(status);
        return result;
    }

    @Override
    public <T, X extends Throwable> T inSavepoint(ThrowingSupplier<T, X> work) throws X {
        ConnectionHolder holder = boundConnection();
        boolean rollbackOnlyBefore = holder.isRollbackOnly();
        List<Object> marks = new ArrayList<>(participants.size());
        participants.forEach(p -> marks.add(p.beforeSavepoint()));
        Savepoint savepoint;
        try {
            savepoint = holder.createSavepoint();
        } catch (SQLException e) {
            throw new TransactionSystemException("could not set a savepoint for Flagway's modern write: " + e.getMessage(), e);
        }
        T result;
        try {
            result = work.get();
            participants.forEach(SavepointParticipant::beforeRelease);
        } catch (Throwable failure) {
            rollBack(holder, savepoint, rollbackOnlyBefore, marks, failure);
            throw failure;
        }
        try {
            holder.getConnection().releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw new TransactionSystemException("could not release the savepoint of Flagway's modern write: "
                    + e.getMessage(), e);
        }
        return result;
    }

    private void rollBack(ConnectionHolder holder, Savepoint savepoint, boolean rollbackOnlyBefore, List<Object> marks,
                          Throwable failure) {
        try {
            holder.getConnection().rollback(savepoint);
        } catch (SQLException e) {
            failure.addSuppressed(e);
            return;
        }
        if (!rollbackOnlyBefore) {
            holder.resetRollbackOnly();
        }
        for (int i = 0; i < participants.size(); i++) {
            try {
                participants.get(i).afterRollback(marks.get(i));
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    @Override
    public Connection currentConnection() {
        return boundConnection().getConnection();
    }

    @Override
    public boolean inTransaction() {
        return TransactionSynchronizationManager.isActualTransactionActive() && holder() != null;
    }

    private ConnectionHolder boundConnection() {
        ConnectionHolder holder = holder();
        if (holder == null || !TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("no Spring transaction with a JDBC connection of " + dataSource
                    + " is open on thread " + Thread.currentThread().getName() + "; " + transactionManager.getClass()
                    .getName() + " must bind one (JDBC and JPA transaction managers do, JTA ones do not)");
        }
        return holder;
    }

    private ConnectionHolder holder() {
        return TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder holder
                && holder.getConnectionHandle() != null ? holder : null;
    }
}
