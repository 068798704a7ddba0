package dev.flagway.mysql;

import dev.flagway.dialect.DiagnosticQuery;
import dev.flagway.dialect.LockWait;
import dev.flagway.schema.SessionInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Name;

/**
 * Reads one snapshot of sessions and locks for {@link LockGraph}, with the queries of the server's
 * flavour: InnoDB row-lock waits from {@code information_schema.INNODB_LOCK_WAITS} (MariaDB) or
 * {@code performance_schema.data_lock_waits} (MySQL 8), both joined to {@code INNODB_TRX}; metadata
 * locks from the server's {@link MetadataLockSource}; sessions from {@code information_schema.PROCESSLIST}.
 * The inspecting connection itself is left out.
 *
 * <p>InnoDB fills {@code INNODB_TRX}, {@code INNODB_LOCKS} and {@code INNODB_LOCK_WAITS} from a cache
 * it refreshes only when nobody read them for 0.1 s, so a caller polling faster than that (on any
 * connection of the server) sees a frozen snapshot.
 */
final class MySqlLockDiagnostics {
    /** The user variable that labels Flagway's sessions (without its {@code @}). */
    static final String LABEL_VARIABLE = "flagway_session";

    /** Sessions, with how long they are in their state and their transaction's age, both in microseconds. */
    static final String PROCESSES = "SELECT p.ID, p.COMMAND, p.STATE, p.INFO, %s,"
            + " TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)), %s"
            + " FROM information_schema.PROCESSLIST p"
            + " LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID%s"
            + " WHERE p.ID <> CONNECTION_ID()";
    static final String LABEL_JOIN = " LEFT JOIN performance_schema.threads th ON th.PROCESSLIST_ID = p.ID"
            + " LEFT JOIN performance_schema.user_variables_by_thread v ON v.THREAD_ID = th.THREAD_ID"
            + " AND v.VARIABLE_NAME = '" + LABEL_VARIABLE + "'";
    /** MariaDB's process list counts milliseconds. */
    static final String MARIADB_IN_STATE = "CAST(p.TIME_MS * 1000 AS SIGNED)";
    /** MySQL's counts whole seconds: without the performance schema, that is all there is. */
    static final String MYSQL_IN_STATE = "p.TIME * 1000000";
    /**
     * MySQL with the performance schema: the running statement's elapsed time (picoseconds) caps the
     * whole seconds of the process list, so a wait that began with its statement — the usual
     * metadata-lock wait — is timed to the microsecond instead of reading 0 s for its first second.
     */
    static final String MYSQL_STATEMENT_IN_STATE = "CASE WHEN st.TIMER_WAIT IS NOT NULL AND st.END_EVENT_ID IS NULL"
            + " THEN LEAST(st.TIMER_WAIT DIV 1000000, (p.TIME + 1) * 1000000) ELSE p.TIME * 1000000 END";
    static final String STATEMENT_JOIN = " LEFT JOIN performance_schema.events_statements_current st"
            + " ON st.THREAD_ID = th.THREAD_ID AND st.NESTING_EVENT_ID IS NULL";

    static final String MARIADB_ROW_WAITS = "SELECT r.trx_mysql_thread_id, rl.lock_mode, b.trx_mysql_thread_id,"
            + " bl.lock_mode, rl.lock_table, TIMESTAMPDIFF(MICROSECOND, r.trx_wait_started, NOW(6))"
            + " FROM information_schema.INNODB_LOCK_WAITS w"
            + " JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id"
            + " JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id"
            + " LEFT JOIN information_schema.INNODB_LOCKS rl ON rl.lock_id = w.requested_lock_id"
            + " LEFT JOIN information_schema.INNODB_LOCKS bl ON bl.lock_id = w.blocking_lock_id";
    static final String MYSQL_ROW_WAITS = "SELECT r.trx_mysql_thread_id, rl.LOCK_MODE, b.trx_mysql_thread_id,"
            + " bl.LOCK_MODE, CONCAT('`', rl.OBJECT_SCHEMA, '`.`', rl.OBJECT_NAME, '`'),"
            + " TIMESTAMPDIFF(MICROSECOND, r.trx_wait_started, NOW(6))"
            + " FROM performance_schema.data_lock_waits w"
            + " JOIN information_schema.INNODB_TRX b ON b.trx_id = w.BLOCKING_ENGINE_TRANSACTION_ID"
            + " JOIN information_schema.INNODB_TRX r ON r.trx_id = w.REQUESTING_ENGINE_TRANSACTION_ID"
            + " LEFT JOIN performance_schema.data_locks rl ON rl.ENGINE_LOCK_ID = w.REQUESTING_ENGINE_LOCK_ID"
            + " LEFT JOIN performance_schema.data_locks bl ON bl.ENGINE_LOCK_ID = w.BLOCKING_ENGINE_LOCK_ID";
    /** MySQL 8 without the performance schema: the waiting transactions, without their blockers. */
    static final String MYSQL_ROW_WAITERS = "SELECT trx_mysql_thread_id, NULL, NULL, NULL, NULL,"
            + " TIMESTAMPDIFF(MICROSECOND, trx_wait_started, NOW(6))"
            + " FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'";

    static final String PERFORMANCE_SCHEMA_LOCKS = "SELECT t.PROCESSLIST_ID, m.OBJECT_SCHEMA, m.OBJECT_NAME,"
            + " m.LOCK_TYPE, m.LOCK_STATUS = 'GRANTED'"
            + " FROM performance_schema.metadata_locks m"
            + " JOIN performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID"
            + " WHERE m.OBJECT_TYPE = 'TABLE' AND t.PROCESSLIST_ID IS NOT NULL AND t.PROCESSLIST_ID <> CONNECTION_ID()";
    static final String METADATA_LOCK_INFO_LOCKS = "SELECT THREAD_ID, TABLE_SCHEMA, TABLE_NAME, LOCK_MODE, 1"
            + " FROM information_schema.METADATA_LOCK_INFO"
            + " WHERE LOCK_TYPE = 'Table metadata lock' AND THREAD_ID <> CONNECTION_ID()";

    private final MySqlServer server;

    MySqlLockDiagnostics(MySqlServer server) {
        this.server = server;
    }

    /** Every session waiting for a row lock or a metadata lock, with its blockers. */
    List<LockWait> waits(Connection c) throws SQLException {
        LockGraph graph = graph(c);
        List<LockWait> waits = new ArrayList<>(graph.rowWaits(rowEdges(c)));
        waits.addAll(graph.metadataWaits());
        return waits;
    }

    /** The sessions holding or queued for metadata locks on {@code table} (possible holders without lock data). */
    List<SessionInfo> holders(Connection c, Name table) throws SQLException {
        String schema = table.qualified() ? table.first() : currentSchema(c);
        return graph(c).holders(schema, table.last());
    }

    /**
     * The runbook's queries for {@code table} on this server: its metadata-lock holders and waiters
     * (from the server's {@link MetadataLockSource}), every row-lock wait with its blocker, and the
     * transactions open for more than a minute.
     */
    List<DiagnosticQuery> queries(Name table) {
        String schema = table.qualified() ? DiagnosticQuery.literal(table.first()) : "DATABASE()";
        String name = DiagnosticQuery.literal(table.last());
        String tableLocks = switch (server.metadataLockSource()) {
            case METADATA_LOCK_INFO -> "SELECT m.THREAD_ID, m.LOCK_MODE, m.LOCK_DURATION, p.TIME, p.STATE,"
                    + " LEFT(p.INFO, 200) AS query FROM information_schema.METADATA_LOCK_INFO m"
                    + " JOIN information_schema.PROCESSLIST p ON p.ID = m.THREAD_ID"
                    + " WHERE m.TABLE_SCHEMA = " + schema + " AND m.TABLE_NAME = " + name;
            case PERFORMANCE_SCHEMA -> "SELECT t.PROCESSLIST_ID, m.LOCK_TYPE, m.LOCK_STATUS, t.PROCESSLIST_TIME,"
                    + " LEFT(t.PROCESSLIST_INFO, 200) AS query FROM performance_schema.metadata_locks m"
                    + " JOIN performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID"
                    + " WHERE m.OBJECT_TYPE = 'TABLE' AND m.OBJECT_SCHEMA = " + schema + " AND m.OBJECT_NAME = " + name
                    + " ORDER BY m.LOCK_STATUS";
            // no lock data: the sessions in a transaction or waiting for a metadata lock, the possible holders
            case PROCESSLIST -> "SELECT p.ID, p.TIME, p.STATE, TIMESTAMPDIFF(SECOND, t.trx_started, NOW()) AS trx_age_s,"
                    + " LEFT(p.INFO, 200) AS query FROM information_schema.PROCESSLIST p"
                    + " LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID"
                    + " WHERE t.trx_id IS NOT NULL OR p.STATE LIKE 'Waiting for table metadata lock%'";
        };
        String waits = server.isMariaDb()
                ? " FROM information_schema.INNODB_LOCK_WAITS w"
                        + " JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id"
                        + " JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id"
                : " FROM performance_schema.data_lock_waits w"
                        + " JOIN information_schema.INNODB_TRX r ON r.trx_id = w.REQUESTING_ENGINE_TRANSACTION_ID"
                        + " JOIN information_schema.INNODB_TRX b ON b.trx_id = w.BLOCKING_ENGINE_TRANSACTION_ID";
        return List.of(
                new DiagnosticQuery("sessions holding or waiting for locks on the table", tableLocks),
                new DiagnosticQuery("every row-lock wait with its blocker (end one with flagway kill ID)",
                        "SELECT r.trx_mysql_thread_id AS waiting_id,"
                                + " TIMESTAMPDIFF(SECOND, r.trx_wait_started, NOW()) AS waiting_s,"
                                + " LEFT(r.trx_query, 200) AS waiting_query, b.trx_mysql_thread_id AS blocking_id,"
                                + " TIMESTAMPDIFF(SECOND, b.trx_started, NOW()) AS blocking_trx_age_s,"
                                + " LEFT(b.trx_query, 200) AS blocking_query" + waits + " ORDER BY waiting_s DESC"),
                new DiagnosticQuery("transactions open for more than a minute (they hold locks and block DDL)",
                        "SELECT trx_mysql_thread_id AS id, trx_state, TIMESTAMPDIFF(SECOND, trx_started, NOW()) AS age_s,"
                                + " trx_rows_locked, LEFT(trx_query, 200) AS query FROM information_schema.INNODB_TRX"
                                + " WHERE trx_started < NOW() - INTERVAL 60 SECOND ORDER BY trx_started"));
    }

    /** The process-list query for this server. */
    String processQuery() {
        boolean ps = server.performanceSchema();
        String inState = server.isMariaDb() ? MARIADB_IN_STATE : ps ? MYSQL_STATEMENT_IN_STATE : MYSQL_IN_STATE;
        String joins = !ps ? "" : server.isMariaDb() ? LABEL_JOIN : LABEL_JOIN + STATEMENT_JOIN;
        return String.format(PROCESSES, inState, ps ? "v.VARIABLE_VALUE" : "NULL", joins);
    }

    /** The row-lock wait query for this server. */
    String rowWaitQuery() {
        if (server.isMariaDb()) {
            return MARIADB_ROW_WAITS;
        }
        return server.performanceSchema() ? MYSQL_ROW_WAITS : MYSQL_ROW_WAITERS;
    }

    /** The metadata-lock query for this server, or null when it has no lock data. */
    String metadataLockQuery() {
        switch (server.metadataLockSource()) {
            case PERFORMANCE_SCHEMA:
                return PERFORMANCE_SCHEMA_LOCKS;
            case METADATA_LOCK_INFO:
                return METADATA_LOCK_INFO_LOCKS;
            default:
                return null;
        }
    }

    /**
     * Ends a session with {@code KILL CONNECTION}, rolling back its transaction.
     *
     * @return false when no session has that id
     */
    static boolean kill(Connection c, long id, boolean queryOnly) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute((queryOnly ? "KILL QUERY " : "KILL CONNECTION ") + id);
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == MySqlErrors.NO_SUCH_THREAD) {
                return false;
            }
            throw e;
        }
    }

    private LockGraph graph(Connection c) throws SQLException {
        List<ProcessRow> processes = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(processQuery())) {
            while (rs.next()) {
                String info = rs.getString(4);
                String label = rs.getString(7);
                processes.add(new ProcessRow(rs.getLong(1), rs.getString(2), rs.getString(3), info,
                        micros(rs, 5), micros(rs, 6), label != null ? label : LabelledConnection.labelOf(info)));
            }
        }
        List<MetadataLock> locks = new ArrayList<>();
        String lockQuery = metadataLockQuery();
        if (lockQuery != null) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(lockQuery)) {
                while (rs.next()) {
                    locks.add(new MetadataLock(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getBoolean(5)));
                }
            }
        }
        return new LockGraph(processes, locks, server.metadataLockSource());
    }

    private List<RowLockEdge> rowEdges(Connection c) throws SQLException {
        List<RowLockEdge> edges = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(rowWaitQuery())) {
            while (rs.next()) {
                long blocking = rs.getLong(3);
                Long blocker = rs.wasNull() ? null : blocking;
                edges.add(new RowLockEdge(rs.getLong(1), rs.getString(2), blocker, rs.getString(4), rs.getString(5),
                        micros(rs, 6)));
            }
        }
        return edges;
    }

    private static String currentSchema(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT DATABASE()"); ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static Duration micros(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofNanos(Math.max(0, value) * 1000);
    }
}
