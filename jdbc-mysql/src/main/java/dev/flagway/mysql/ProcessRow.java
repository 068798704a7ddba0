package dev.flagway.mysql;

import dev.flagway.schema.SessionInfo;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One session of the process list with its InnoDB transaction, as lock diagnostics see it.
 *
 * @param id the connection id ({@code KILL} takes it)
 * @param command the process-list command, e.g. {@code Query} or {@code Sleep}
 * @param state the process-list state, e.g. {@code Waiting for table metadata lock}; empty when none
 * @param info the running statement, or null
 * @param inState how long it has been in its state (for a waiting session: how long it waits)
 * @param transactionAge how long its InnoDB transaction has been open, or null without one
 * @param label the label Flagway gave the session ({@code @flagway_session}, else the comment leading its running
 *     statement), empty when unknown
 */
record ProcessRow(long id, String command, String state, String info, Duration inState, Duration transactionAge,
        String label) {
    private static final Pattern METADATA_WAIT = Pattern.compile("(?i)waiting for .*metadata lock");

    /** Whether the session waits for a metadata lock. */
    boolean waitsForMetadataLock() {
        return isMetadataLockWait(state);
    }

    /** Whether a process-list state is a metadata-lock wait ("Waiting for table metadata lock"). */
    static boolean isMetadataLockWait(String state) {
        return state != null && METADATA_WAIT.matcher(state).find();
    }

    /** Whether its running statement names {@code table} as a word (how waiters are matched without lock data). */
    boolean mentions(String table) {
        return info != null && Pattern.compile("(?i)(^|[^A-Za-z0-9_$])" + Pattern.quote(table) + "([^A-Za-z0-9_$]|$)")
                .matcher(info).find();
    }

    /** This session as diagnostics report it. */
    SessionInfo toSession(String lockMode, Duration lockWait, List<Long> blockedBy) {
        return new SessionInfo(id, label == null ? "" : label, describeState(), info, lockMode, transactionAge, lockWait,
                blockedBy);
    }

    private String describeState() {
        if ("sleep".equalsIgnoreCase(command)) {
            return transactionAge != null ? "idle in transaction" : "idle";
        }
        String c = command == null ? "" : command.toLowerCase(Locale.ROOT);
        return state == null || state.isBlank() ? c : c + ": " + state;
    }
}
