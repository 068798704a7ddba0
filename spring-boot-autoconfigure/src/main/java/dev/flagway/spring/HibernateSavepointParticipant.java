package dev.flagway.spring;

import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.engine.spi.EntityEntry;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.engine.spi.Status;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.event.spi.FlushEvent;
import org.hibernate.event.spi.FlushEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;
import org.springframework.orm.jpa.EntityManagerHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps the Hibernate persistence contexts of the Spring transaction in step with the savepoints of
 * {@link SpringTransactionRunner}. A JDBC savepoint covers what the database holds, not what a
 * persistence context holds, so:
 * <ul>
 *   <li>before the savepoint, the persistence context is flushed: the caller's and the legacy
 *       changes are written outside it;</li>
 *   <li>when the modern work returns, it is flushed again, so that a failing modern write fails
 *       inside the savepoint and not at commit, where it would take the legacy write down with it;</li>
 *   <li>after a rollback to the savepoint, the changes made under it are forgotten: queued actions
 *       are dropped, entities first managed under it are detached, and entities it changed are
 *       reloaded (the database holds their state from before the savepoint again). Other entities
 *       stay managed as they were, so the caller's later changes to them are still written.</li>
 * </ul>
 * The flushes go to Hibernate's flush listeners directly: through {@code EntityManager.flush()} a
 * failure would mark the whole JPA transaction rollback-only (the JPA specification asks for it), and
 * the legacy write would be lost at commit. Their failures are translated as Spring Data repositories
 * translate them (to {@link org.springframework.dao.DataAccessException}s).
 *
 * <p>A modern write that fails inside Hibernate or inside a {@code @Transactional} method that joined the
 * transaction (a query that flushes on its own, {@code saveAndFlush}) still marks the JPA transaction
 * rollback-only, and Hibernate offers no way to clear that mark: the whole write then fails at commit
 * (nothing is lost; the caller gets the error), and a warning says so. Let the modern implementation
 * change entities and leave the flushing to Flagway.
 */
public final class HibernateSavepointParticipant implements SavepointParticipant {
    private static final Logger LOG = LoggerFactory.getLogger(HibernateSavepointParticipant.class);
    private static final HibernateJpaDialect TRANSLATOR = new HibernateJpaDialect();

    private final List<EntityManagerFactory> factories;

    /** A participant for the transactions of these entity manager factories. */
    public HibernateSavepointParticipant(List<EntityManagerFactory> factories) {
        this.factories = List.copyOf(factories);
    }

    @Override
    public Object beforeSavepoint() {
        List<Mark> marks = new ArrayList<>();
        for (SessionImplementor session : boundSessions()) {
            flush(session);
            Map<Object, Object[]> loadedStates = new IdentityHashMap<>();
            for (Map.Entry<Object, EntityEntry> e : session.getPersistenceContextInternal().reentrantSafeEntityEntries()) {
                loadedStates.put(e.getKey(), e.getValue().getLoadedState());
            }
            marks.add(new Mark(session, loadedStates, session.getTransaction().getRollbackOnly()));
        }
        return marks;
    }

    @Override
    public void beforeRelease() {
        boundSessions().forEach(HibernateSavepointParticipant::flush);
    }

    @Override
    public void afterRollback(Object mark) {
        for (Object m : (List<?>) mark) {
            ((Mark) m).restore();
        }
    }

    private List<SessionImplementor> boundSessions() {
        List<SessionImplementor> sessions = new ArrayList<>(1);
        for (EntityManagerFactory factory : factories) {
            if (TransactionSynchronizationManager.getResource(factory) instanceof EntityManagerHolder holder) {
                sessions.add(holder.getEntityManager().unwrap(SessionImplementor.class));
            }
        }
        return sessions;
    }

    private static void flush(SessionImplementor session) {
        try {
            session.getFactory().getServiceRegistry().requireService(EventListenerRegistry.class)
                    .getEventListenerGroup(EventType.FLUSH)
                    .fireEventOnEachListener(new FlushEvent(session.asEventSource()), FlushEventListener::onFlush);
        } catch (RuntimeException e) {
            DataAccessException translated = TRANSLATOR.translateExceptionIfPossible(e);
            throw translated != null ? translated : e;
        }
    }

    /**
     * A session's managed entities and their loaded states when the savepoint was set, and whether its
     * transaction was rollback-only then.
     */
    private record Mark(SessionImplementor session, Map<Object, Object[]> loadedStates, boolean rollbackOnly) {
        void restore() {
            if (!rollbackOnly && session.getTransaction().getRollbackOnly()) {
                LOG.warn("A failed modern write marked the JPA transaction rollback-only (it failed inside Hibernate "
                        + "or inside a @Transactional method), which Hibernate cannot undo: the whole write will fail "
                        + "at commit. Let the modern implementation change entities and leave the flushing to Flagway.");
            }
            session.getActionQueue().clear();
            for (Map.Entry<Object, EntityEntry> e : session.getPersistenceContextInternal().reentrantSafeEntityEntries()) {
                Object entity = e.getKey();
                EntityEntry entry = e.getValue();
                boolean managedBefore = loadedStates.containsKey(entity);
                if (!managedBefore || entry.getStatus() == Status.DELETED || entry.getStatus() == Status.GONE) {
                    session.evict(entity);
                } else if (entry.getLoadedState() != loadedStates.get(entity) || dirty(entity, entry)) {
                    session.refresh(entity);
                }
            }
        }

        private boolean dirty(Object entity, EntityEntry entry) {
            Object[] loaded = entry.getLoadedState();
            return loaded != null
                    && entry.getPersister().findDirty(entry.getPersister().getValues(entity), loaded, entity, session) != null;
        }
    }
}
