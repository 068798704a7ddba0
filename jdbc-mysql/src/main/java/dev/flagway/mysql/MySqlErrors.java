package dev.flagway.mysql;

import java.sql.SQLException;
import java.util.Set;

/** The MySQL/MariaDB error codes the dialect reacts to. */
final class MySqlErrors {
    /** ER_LOCK_WAIT_TIMEOUT: a row lock or metadata lock was not granted within the wait timeout. */
    static final int LOCK_WAIT_TIMEOUT = 1205;
    /** ER_LOCK_DEADLOCK: chosen as a deadlock victim (metadata-lock deadlocks included). */
    static final int DEADLOCK = 1213;
    /** ER_NO_SUCH_THREAD: KILL of an unknown connection id. */
    static final int NO_SUCH_THREAD = 1094;
    /**
     * Errors after which the connection is gone: ER_SERVER_SHUTDOWN (1053), ER_CONNECTION_KILLED
     * (1927, MariaDB), CR_SERVER_GONE_ERROR (2006), CR_SERVER_LOST (2013), ER_CLIENT_INTERACTION_TIMEOUT (4031).
     */
    private static final Set<Integer> CONNECTION_LOST = Set.of(1053, 1927, 2006, 2013, 4031);

    private MySqlErrors() {
    }

    /** Whether {@code e} or one of its chained exceptions says the connection is gone. */
    static boolean connectionLost(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (CONNECTION_LOST.contains(x.getErrorCode()) || state != null && state.startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code e} means a lock was not granted in time, or a deadlock victim: worth a later retry. */
    static boolean lockNotGranted(SQLException e) {
        return e.getErrorCode() == LOCK_WAIT_TIMEOUT || e.getErrorCode() == DEADLOCK;
    }
}
