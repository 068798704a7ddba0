package dev.flagway.internal.tables;

import dev.flagway.BookkeepingTableException;
import dev.flagway.internal.ServerDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The one place that creates Flagway's tables. A table that exists is left alone (no DDL is issued,
 * so a database user without DDL rights works once the tables exist); a missing one is created with
 * {@code CREATE TABLE IF NOT EXISTS}, and when that fails because another instance created it at the
 * same moment (PostgreSQL can report a unique violation in its catalog instead of "exists"), the
 * table is looked for again rather than the failure reported. In a transaction, each step runs under
 * a savepoint, so that a failed step leaves the transaction usable (PostgreSQL aborts it otherwise).
 */
public final class TableSetup {
    private static final int ATTEMPTS = 5;
    private static final long RETRY_PAUSE_MILLIS = 50;
    /** Per data source (or transaction runner), the tables known to exist: each is set up once per process. */
    private static final Map<Object, Set<String>> READY = Collections.synchronizedMap(new WeakHashMap<>());

    private TableSetup() {
    }

    /**
     * Makes sure {@code tables} exist, once per process for {@code source}: the first call for a
     * table checks it (and creates it when {@code create}), later calls return at once. Threads of
     * one process set a source's tables up one at a time.
     *
     * @param source what the connection came from (a data source or transaction runner), the cache's key
     * @param connection a connection of {@code source}, in a transaction or not
     * @param create whether a missing table is created; when false, a missing table is an error
     * @throws BookkeepingTableException when a table is missing and may not be created, or cannot be
     */
    public static void ensure(Object source, Connection connection, boolean create, List<TableDefinition> tables) {
        Set<String> ready = READY.computeIfAbsent(source, s -> ConcurrentHashMap.newKeySet());
        for (TableDefinition table : tables) {
            String name = table.table().getQualifiedName().toString();
            if (ready.contains(name)) {
                continue;
            }
            synchronized (ready) {
                if (!ready.contains(name)) {
                    create(connection, create, table);
                    ready.add(name);
                }
            }
        }
    }

    /**
     * Makes sure {@code table} exists now, without the per-process cache (for explicit set-up calls).
     *
     * @throws BookkeepingTableException when it is missing and may not be created, or cannot be
     */
    public static void create(Connection connection, boolean create, TableDefinition table) {
        DSLContext dsl = ServerDialect.using(connection);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (step(connection, () -> dsl.selectOne().from(table.table()).where(DSL.falseCondition()).fetch())) {
                return;
            }
            if (!create) {
                throw new BookkeepingTableException("table " + table.displayName() + " does not exist and Flagway is "
                        + "told not to create its tables (flagway.tables.create=false): create it with the "
                        + "statements of BookkeepingTables.script(dialect)", null);
            }
            try {
                runStep(connection, () -> table.create(dsl).execute());
                return;
            } catch (DataAccessException e) {
                last = e; // most likely another instance creating it at the same moment: look again
            }
            pause(attempt);
        }
        throw new BookkeepingTableException("could not create table " + table.displayName() + " after " + ATTEMPTS
                + " attempts: " + last.getMessage(), last);
    }

    /** Runs {@code work}; returns whether it succeeded. */
    private static boolean step(Connection connection, Runnable work) {
        try {
            runStep(connection, work);
            return true;
        } catch (DataAccessException e) {
            return false;
        }
    }

    /** Runs {@code work}, under a savepoint when the connection is in a transaction. */
    private static void runStep(Connection connection, Runnable work) {
        Savepoint savepoint = savepoint(connection);
        try {
            work.run();
        } catch (DataAccessException e) {
            rollbackTo(connection, savepoint, e);
            throw e;
        }
        release(connection, savepoint);
    }

    private static Savepoint savepoint(Connection connection) {
        try {
            return connection.getAutoCommit() ? null : connection.setSavepoint();
        } catch (SQLException e) {
            throw new BookkeepingTableException("could not set a savepoint to set up Flagway's tables: " + e.getMessage(), e);
        }
    }

    private static void rollbackTo(Connection connection, Savepoint savepoint, Exception failure) {
        if (savepoint == null) {
            return;
        }
        try {
            connection.rollback(savepoint);
        } catch (SQLException e) {
            // MySQL ends the transaction (and its savepoints) at DDL; there is nothing left to roll back
            failure.addSuppressed(e);
        }
    }

    private static void release(Connection connection, Savepoint savepoint) {
        if (savepoint == null) {
            return;
        }
        try {
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            // gone with the implicit commit MySQL makes at DDL
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(RETRY_PAUSE_MILLIS * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BookkeepingTableException("interrupted while setting up Flagway's tables", e);
        }
    }
}
