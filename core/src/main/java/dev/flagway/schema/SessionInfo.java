package dev.flagway.schema;

import java.time.Duration;
import java.util.List;

/**
 * One database session as seen by lock diagnostics.
 *
 * @param id the server's session id (PostgreSQL backend pid, MySQL thread id)
 * @param applicationName the client's application name, empty when unknown
 * @param state the session state, e.g. {@code active} or {@code idle in transaction}
 * @param query the current or last statement, possibly truncated by the server
 * @param lockMode the lock this session holds or waits for on the inspected object, or null
 * @param transactionAge how long its transaction has been open, or null outside a transaction
 * @param lockWait how long it has been waiting for a lock, or null when it is not waiting
 * @param blockedBy the ids of the sessions it waits for, empty when it is not blocked
 */
public record SessionInfo(long id, String applicationName, String state, String query, String lockMode,
        Duration transactionAge, Duration lockWait, List<Long> blockedBy) {

    /** Copies the list of blockers. */
    public SessionInfo {
        blockedBy = List.copyOf(blockedBy);
    }

    /** A one-line summary for log messages. */
    public String summary() {
        StringBuilder s = new StringBuilder("session ").append(id);
        if (applicationName != null && !applicationName.isEmpty()) {
            s.append(" (").append(applicationName).append(')');
        }
        s.append(' ').append(state);
        if (lockMode != null) {
            s.append(", ").append(lockMode);
        }
        if (transactionAge != null) {
            s.append(", transaction open ").append(transactionAge.toMillis()).append(" ms");
        }
        if (lockWait != null) {
            s.append(", waiting ").append(lockWait.toMillis()).append(" ms");
        }
        if (query != null && !query.isBlank()) {
            String q = query.strip().replaceAll("\\s+", " ");
            s.append(": ").append(q.length() <= 120 ? q : q.substring(0, 117) + "...");
        }
        return s.toString();
    }
}
