package dev.flagway.lifecycle;

import dev.flagway.FlagwayException;

/**
 * A lifecycle move lost a race: another instance (or thread) moved the migration after this one read
 * its state. Nothing of the losing move was applied; read {@link MigrationLifecycle#state()} again and
 * decide anew.
 */
public final class LifecycleConflictException extends FlagwayException {
    private static final long serialVersionUID = 1L;

    private final String migrationId;
    private final long expectedVersion;

    LifecycleConflictException(String migrationId, LifecycleMove move, long expectedVersion, String current) {
        super("migration '" + migrationId + "': " + move.value() + " not applied: another move changed the lifecycle "
                + "after version " + expectedVersion + " was read (now " + current + "); read the state again and retry"
                + " if the move still makes sense");
        this.migrationId = migrationId;
        this.expectedVersion = expectedVersion;
    }

    /** The migration. */
    public String migrationId() {
        return migrationId;
    }

    /** The version the losing move had read. */
    public long expectedVersion() {
        return expectedVersion;
    }
}
