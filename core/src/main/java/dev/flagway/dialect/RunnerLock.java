package dev.flagway.dialect;

import java.util.Optional;

/**
 * A fleet-wide lock that lets one process at a time run the backfill of a migration
 * (PostgreSQL advisory locks, MySQL {@code GET_LOCK}).
 */
public interface RunnerLock {
    /**
     * Tries once to take the lock of a migration without waiting.
     *
     * @return the lease, or empty when another runner holds the lock
     * @throws java.sql.SQLException when the database cannot be asked
     */
    Optional<Lease> tryAcquire(String migrationId) throws java.sql.SQLException;

    /** A held lock; closing it releases it. */
    interface Lease extends AutoCloseable {
        /** Whether the lock is still held (false once its connection is lost). */
        boolean isHeld();

        /** Releases the lock; never throws. */
        @Override
        void close();
    }
}
