package dev.flagway.dialect;

/**
 * A measure of database health the backfill consults between batches: replication lag, WAL rate,
 * server load, or anything the application knows (implement it for a custom signal).
 * Implementations are called from the backfill's thread only, so they may keep state between reads.
 */
@FunctionalInterface
public interface HealthSignal {
    /**
     * Reads the signal.
     *
     * @throws Exception when it cannot be read; the backfill logs it and treats the signal as
     *     {@link HealthReading.Level#THROTTLE}
     */
    HealthReading read() throws Exception;
}
