package dev.flagway.lifecycle;

import dev.flagway.schema.SessionInfo;
import java.util.List;

/**
 * The sessions holding or queued for locks on the migrated table now, from the dialect's lock
 * diagnostics: the ones an expand, a NOT NULL step or the contract would wait behind. Reading them
 * needs privileges some roles lack (MySQL's performance schema, for one); the status then says so
 * here instead of failing.
 *
 * @param readable whether the diagnostics could be read
 * @param problem why not, or null when readable
 * @param sessions the sessions, empty when none or not readable
 */
public record LockBlockers(boolean readable, String problem, List<SessionInfo> sessions) {
    /** Copies the list. */
    public LockBlockers {
        sessions = List.copyOf(sessions);
    }

    static LockBlockers of(List<SessionInfo> sessions) {
        return new LockBlockers(true, null, sessions);
    }

    static LockBlockers unreadable(String problem) {
        return new LockBlockers(false, problem, List.of());
    }
}
