package dev.flagway.dialect;

import dev.flagway.schema.SessionInfo;
import java.util.List;

/**
 * A session waiting for a lock, with the sessions it waits for.
 *
 * @param blocked the waiting session
 * @param blockers the sessions holding (or queued ahead for) the lock it needs
 */
public record LockWait(SessionInfo blocked, List<SessionInfo> blockers) {
    /** Copies the list of blockers. */
    public LockWait {
        blockers = List.copyOf(blockers);
    }
}
