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
 *   <li>WAL generation rate from {@code pg_current_wal_lsn()} deltas between reads. By default its
 *       thresholds follow the server's own rate, measured for 1 s at the first read (before the first
 *       batch): throttle from 4 times that rate but never below 128 MB/s, critical from 4 times the
 *       throttle level. See {@link #walRate(DataSource)} for why.</li>
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

    /**
     * WAL rate with the default thresholds, relative to the server's own rate:
     * {@code walRateOverBaseline(dataSource, 4, 128 MB/s, 1 s)}.
     *
     * <p>Why relative: the WAL a backfill writes matters to what consumes WAL — replicas, the archiver,
     * logical decoding, backups — and those are provisioned for the rate this server normally writes.
     * Replicas falling behind are caught directly by {@link #replicationLag(DataSource)}; this signal
     * guards the rest against a surge out of proportion to the usual rate, so it allows the backfill to
     * raise the rate to four times the server's own. The floor lets a quiet server's backfill run at a
     * rate any production setup absorbs: 128 MB/s is about what a 1 Gbit/s link carries. A fixed
     * threshold cannot fit both a busy server and a fast one: the former default of 32 MB/s throttled
     * backfills on a 2-CPU server, where one at full speed writes 70–80 MB/s of WAL.
     */
    public static HealthSignal walRate(DataSource dataSource) {
        return walRateOverBaseline(dataSource, 4.0, 128 * MB, Duration.ofSeconds(1));
    }

    /**
     * WAL rate with thresholds relative to the server's own rate. The first read (before the first
     * batch) measures that rate over {@code baselineWindow}, the backfill waiting meanwhile; from then
     * on the signal throttles from {@code max(floorBytesPerSecond, multiple × baseline)} and is critical
     * from 4 times that.
     *
     * @param multiple how many times the server's own rate the backfill may raise it to; at least 1
     * @param floorBytesPerSecond the throttle level on a quiet server; positive
     * @param baselineWindow how long the first read measures the server's own rate; positive
     */
    public static HealthSignal walRateOverBaseline(DataSource dataSource, double multiple, long floorBytesPerSecond,
            Duration baselineWindow) {
        Checks.notNull("data source", dataSource);
        if (!(multiple >= 1.0 && multiple < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("WAL rate multiple must be a number of at least 1 but was " + multiple);
        }
        if (floorBytesPerSecond <= 0) {
            throw new IllegalArgumentException("WAL rate floor must be positive bytes per second but was "
                    + floorBytesPerSecond);
        }
        Checks.positive("WAL rate baseline window", baselineWindow);
        return WalRateSignal.overBaseline(dataSource,
                new WalRateSignal.Baseline(multiple, floorBytesPerSecond, baselineWindow));
    }

    /**
     * WAL rate with fixed thresholds in bytes per second. The first read only takes a reference point.
     */
    public static HealthSignal walRate(DataSource dataSource, long throttleBytesPerSecond, long criticalBytesPerSecond) {
        Checks.notNull("data source", dataSource);
        requireOrdered("WAL rate bytes per second", throttleBytesPerSecond, criticalBytesPerSecond);
        return WalRateSignal.fixed(dataSource, throttleBytesPerSecond, criticalBytesPerSecond);
    }

    private static void requireOrdered(String what, long throttle, long critical) {
        if (throttle <= 0 || critical < throttle) {
            throw new IllegalArgumentException(what + ": throttle level must be positive and not above the critical "
                    + "level, but were " + throttle + " and " + critical);
        }
    }
}
