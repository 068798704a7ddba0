package dev.flagway.postgres;

import dev.flagway.dialect.DiagnosticQuery;
import dev.flagway.dialect.LockWait;
import dev.flagway.schema.SessionInfo;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Blocked and blocking sessions from {@code pg_stat_activity}, {@code pg_locks} and {@code pg_blocking_pids}. */
final class PostgresLockDiagnostics {
    private static final String SESSION_COLUMNS = "a.pid, coalesce(a.application_name, ''), coalesce(a.state, ''), "
            + "a.query, %s, (extract(epoch from now() - a.xact_start) * 1000)::bigint, "
            + "(select (extract(epoch from now() - min(w.waitstart)) * 1000)::bigint from pg_locks w "
            + "where w.pid = a.pid and not w.granted), pg_blocking_pids(a.pid)";

    private static final String HOLDERS = "select distinct on (a.pid) " + String.format(SESSION_COLUMNS, "l.mode")
            + " from pg_locks l join pg_stat_activity a on a.pid = l.pid"
            + " where l.locktype = 'relation' and l.relation = to_regclass(?) and a.pid <> pg_backend_pid()"
            + " order by a.pid, l.granted desc";

    private static final String WAITING = "select " + String.format(SESSION_COLUMNS,
            "(select min(w.mode) from pg_locks w where w.pid = a.pid and not w.granted)")
            + " from pg_stat_activity a where cardinality(pg_blocking_pids(a.pid)) > 0 and a.pid <> pg_backend_pid()";

    private static final String BY_PID = "select " + String.format(SESSION_COLUMNS, "null::text")
            + " from pg_stat_activity a where a.pid = any(?)";

    /** The runbook's queries for {@code table} (rendered, quoted as needed): blockers, lock waits, long transactions. */
    static List<DiagnosticQuery> queries(String table) {
        return List.of(
                new DiagnosticQuery("sessions holding or waiting for locks on the table, with their blockers",
                        "SELECT a.pid, a.usename, a.application_name, a.state, l.mode, l.granted,"
                                + " now() - a.xact_start AS xact_age, pg_blocking_pids(a.pid) AS blocked_by,"
                                + " left(a.query, 200) AS query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                                + " WHERE l.locktype = 'relation' AND l.relation = to_regclass("
                                + DiagnosticQuery.literal(table) + ") ORDER BY l.granted DESC, a.xact_start"),
                new DiagnosticQuery("every lock wait with its blocker (terminate one with flagway kill PID)",
                        "SELECT w.pid AS waiting_pid, now() - w.query_start AS waiting_for,"
                                + " left(w.query, 200) AS waiting_query, b.pid AS blocking_pid, b.state AS blocking_state,"
                                + " now() - b.xact_start AS blocking_xact_age, left(b.query, 200) AS blocking_query"
                                + " FROM pg_stat_activity w CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS bp(pid)"
                                + " JOIN pg_stat_activity b ON b.pid = bp.pid ORDER BY waiting_for DESC"),
                new DiagnosticQuery("transactions open for more than a minute (they hold locks and block DDL)",
                        "SELECT pid, usename, application_name, state, now() - xact_start AS xact_age,"
                                + " left(query, 200) AS query FROM pg_stat_activity WHERE xact_start IS NOT NULL"
                                + " AND now() - xact_start > interval '1 minute' ORDER BY xact_start"));
    }

    List<SessionInfo> holders(Connection connection, String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(HOLDERS)) {
            s.setString(1, table);
            return read(s);
        }
    }

    List<LockWait> waits(Connection connection) throws SQLException {
        List<SessionInfo> waiting;
        try (PreparedStatement s = connection.prepareStatement(WAITING)) {
            waiting = read(s);
        }
        Map<Long, SessionInfo> blockers = new HashMap<>();
        Integer[] pids = waiting.stream().flatMap(w -> w.blockedBy().stream()).distinct()
                .map(Long::intValue).toArray(Integer[]::new);
        if (pids.length > 0) {
            try (PreparedStatement s = connection.prepareStatement(BY_PID)) {
                s.setArray(1, connection.createArrayOf("int4", pids));
                read(s).forEach(b -> blockers.put(b.id(), b));
            }
        }
        List<LockWait> waits = new ArrayList<>();
        for (SessionInfo w : waiting) {
            waits.add(new LockWait(w, w.blockedBy().stream().map(blockers::get).filter(b -> b != null).toList()));
        }
        return waits;
    }

    boolean terminate(Connection connection, long pid) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("select pg_terminate_backend(?)")) {
            s.setInt(1, Math.toIntExact(pid));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static List<SessionInfo> read(PreparedStatement s) throws SQLException {
        List<SessionInfo> sessions = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                sessions.add(new SessionInfo(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), millis(rs, 6), millis(rs, 7), pids(rs.getArray(8))));
            }
        }
        return sessions;
    }

    private static Duration millis(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofMillis(value);
    }

    private static List<Long> pids(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        return Arrays.stream((Integer[]) array.getArray()).map(Integer::longValue).toList();
    }
}
