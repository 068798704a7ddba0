package dev.flagway.dialect;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Whether an error means the database connection is gone, the same way for every dialect: each
 * dialect adds its own codes to {@link #isStandard} in {@link Dialect#isConnectionFailure}, and
 * {@link #isLost} looks for them anywhere in the error (drivers and pools wrap the real cause, and a
 * batch reports it as a chained exception).
 */
public final class ConnectionFailures {
    private ConnectionFailures() {
    }

    /**
     * The signs every driver gives: SQLSTATE class 08 (connection exception), or the JDBC types for a
     * lost or unobtainable connection ({@link SQLNonTransientConnectionException},
     * {@link SQLTransientConnectionException} — a pool that found no live connection —, and
     * {@link SQLRecoverableException}).
     */
    public static boolean isStandard(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08") || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLTransientConnectionException || e instanceof SQLRecoverableException;
    }

    /**
     * Whether {@code error}, one of its causes or one of their chained {@linkplain SQLException#getNextException()
     * next exceptions} is a lost connection to {@code dialect}, or a socket failure (reset, closed,
     * timed out, end of stream) under the driver.
     */
    public static boolean isLost(Throwable error, Dialect dialect) {
        Deque<Throwable> pending = new ArrayDeque<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        pending.add(error);
        while (!pending.isEmpty()) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof EOFException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                if (dialect.isConnectionFailure(sql)) {
                    return true;
                }
                if (sql.getNextException() != null) {
                    pending.add(sql.getNextException());
                }
            }
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
        }
        return false;
    }
}
