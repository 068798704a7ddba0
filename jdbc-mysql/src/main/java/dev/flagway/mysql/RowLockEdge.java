package dev.flagway.mysql;

import java.time.Duration;

/**
 * One InnoDB row-lock wait: a session waiting for a lock another session holds.
 *
 * @param waiting the waiting connection id
 * @param requestedMode the lock it asks for, e.g. {@code X}
 * @param blocking the connection id of the holder, or null when the server does not say
 * @param blockingMode the lock the holder has, or null
 * @param table the locked table, e.g. {@code `shop`.`users`}, or null
 * @param waited how long the waiting session has waited, or null when unknown
 */
record RowLockEdge(long waiting, String requestedMode, Long blocking, String blockingMode, String table,
        Duration waited) {
}
