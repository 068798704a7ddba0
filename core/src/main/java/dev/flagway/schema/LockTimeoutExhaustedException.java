package dev.flagway.schema;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/** A DDL statement timed out waiting for its lock on every attempt; the message names the last blockers. */
public final class LockTimeoutExhaustedException extends DdlException {
    private static final long serialVersionUID = 1L;

    private final transient List<SessionInfo> blockers;

    /** An exception for {@code statement} after {@code attempts} lock timeouts. */
    public LockTimeoutExhaustedException(DdlStatement statement, int attempts, List<SessionInfo> blockers,
            SQLException last) {
        super(statement.operation().describe() + " gave up after " + attempts
                + " lock timeouts; last blockers: " + describe(blockers) + "; statement: " + statement.sql(), last);
        this.blockers = List.copyOf(blockers);
    }

    /** The sessions that held the table at the last attempt. */
    public List<SessionInfo> blockers() {
        return blockers;
    }

    static String describe(List<SessionInfo> sessions) {
        return sessions.isEmpty() ? "none found (they may have finished)"
                : sessions.stream().map(SessionInfo::summary).collect(Collectors.joining("; "));
    }
}
