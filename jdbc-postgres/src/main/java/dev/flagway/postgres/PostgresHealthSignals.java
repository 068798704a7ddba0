package dev.flagway.postgres;

import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.HealthSignal;
import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * PostgreSQL health signals for the backfill, read on the primary.
 * <ul>
 *   <li>Replication lag from {@code pg_stat_replication}: the largest replay lag in bytes
 *       (default throttle 64 MB, critical 512 MB) and in time (default throttle 10 s, critical 60 s).</li>
 *   <li>WAL generation rate from {@code pg_current_wal_lsn()} deltas between reads (default throttle
 *       32 MB/s, critical 128 MB/s).</li>
 * </ul>
 */
public final class PostgresHealthSignals {
    private static final long MB = 1024L * 1024L;

    private PostgresHealthSignals() {
    }

    /** Replication lag with the default thresholds. */
    public static HealthSignal replicationLag(DataSource dataSource) {
        return replicationLag(dataSource, 64 * MB, 512 * MB, Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /**
     * Replication lag with explicit thresholds.
     *
     * @param throttleBytes replay lag in bytes that slows the backfill
     * @param criticalBytes replay lag in bytes that pauses it
     * @param throttleLag replay lag in time that slows it
     * @param criticalLag replay lag in time that pauses it
     */
    public static HealthSignal replicationLag(DataSource dataSource, long throttleBytes, long criticalBytes,
            Duration throttleLag, Duration criticalLag) {
        Checks.notNull("data source", dataSource);
        requireOrdered("replication lag bytes", throttleBytes, criticalBytes);
        requireOrdered("replication lag millis", Checks.positive("throttle lag", throttleLag).toMillis(),
                Checks.positive("critical lag", criticalLag).toMillis());
        return () -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*),"
                         + " coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0)::bigint,"
                         + " coalesce(max(extract(epoch from replay_lag) * 1000), 0)::bigint from pg_stat_replication")) {
                rs.next();
                long replicas = rs.getLong(1);
                long bytes = rs.getLong(2);
                long millis = rs.getLong(3);
                String detail = replicas + " replica(s), replay lag " + bytes / MB + " MB / " + millis + " ms (throttle at "
                        + throttleBytes / MB + " MB / " + Durations.format(throttleLag) + ", critical at "
                        + criticalBytes / MB + " MB / " + Durations.format(criticalLag) + ")";
                HealthReading.Level level = bytes >= criticalBytes || millis >= criticalLag.toMillis()
                        ? HealthReading.Level.CRITICAL
                        : bytes >= throttleBytes || millis >= throttleLag.toMillis()
                        ? HealthReading.Level.THROTTLE : HealthReading.Level.OK;
                return new HealthReading("replication-lag", level, detail);
            }
        };
    }

    /** WAL rate with the default thresholds. */
    public static HealthSignal walRate(DataSource dataSource) {
        return walRate(dataSource, 32 * MB, 128 * MB);
    }

    /**
     * WAL rate with explicit thresholds in bytes per second. The first read only takes a baseline.
     */
    public static HealthSignal walRate(DataSource dataSource, long throttleBytesPerSecond, long criticalBytesPerSecond) {
        Checks.notNull("data source", dataSource);
        requireOrdered("WAL rate bytes per second", throttleBytesPerSecond, criticalBytesPerSecond);
        return new HealthSignal() {
            private long lastLsn = -1;
            private long lastNanos;

            @Override
            public HealthReading read() throws SQLException {
                long lsn = currentLsn(dataSource);
                long now = System.nanoTime();
                long previous = lastLsn;
                long previousNanos = lastNanos;
                lastLsn = lsn;
                lastNanos = now;
                if (previous < 0 || now == previousNanos) {
                    return HealthReading.ok("wal-rate", "baseline taken");
                }
                long perSecond = (long) ((lsn - previous) / ((now - previousNanos) / 1e9));
                String detail = "WAL " + perSecond / MB + " MB/s (throttle at " + throttleBytesPerSecond / MB
                        + " MB/s, critical at " + criticalBytesPerSecond / MB + " MB/s)";
                HealthReading.Level level = perSecond >= criticalBytesPerSecond ? HealthReading.Level.CRITICAL
                        : perSecond >= throttleBytesPerSecond ? HealthReading.Level.THROTTLE : HealthReading.Level.OK;
                return new HealthReading("wal-rate", level, detail);
            }
        };
    }

    private static long currentLsn(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void requireOrdered(String what, long throttle, long critical) {
        if (throttle <= 0 || critical < throttle) {
            throw new IllegalArgumentException(what + ": throttle level must be positive and not above the critical "
                    + "level, but were " + throttle + " and " + critical);
        }
    }
}
