package dev.flagway.postgres;

import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.HealthSignal;
import dev.flagway.internal.Durations;
import dev.flagway.internal.ServerDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The WAL generation rate from {@code pg_current_wal_lsn()} deltas between reads, judged against
 * fixed thresholds or against thresholds derived from the server's own rate, measured over a window
 * at the first read (before the backfill's first batch).
 */
final class WalRateSignal implements HealthSignal {
    static final String NAME = "wal-rate";
    /** Critical over throttle level when derived from a baseline: the ratio of the earlier fixed defaults (32 and 128 MB/s). */
    static final int CRITICAL_OVER_THROTTLE = 4;
    private static final double MB = 1024.0 * 1024.0;

    private final DataSource dataSource;
    private final Baseline baseline;
    private long throttle;
    private long critical;
    private String basis = "";
    private long lastLsn = -1;
    private long lastNanos;

    /**
     * How the thresholds follow the server's own WAL rate.
     *
     * @param multiple throttle from this many times the baseline rate
     * @param floorBytesPerSecond but never below this rate
     * @param window how long the first read measures the baseline
     */
    record Baseline(double multiple, long floorBytesPerSecond, Duration window) {
        /** The throttle level for a measured baseline rate. */
        long throttleAt(long baselineBytesPerSecond) {
            return Math.max(floorBytesPerSecond, (long) (multiple * baselineBytesPerSecond));
        }
    }

    private WalRateSignal(DataSource dataSource, Baseline baseline, long throttle, long critical) {
        this.dataSource = dataSource;
        this.baseline = baseline;
        this.throttle = throttle;
        this.critical = critical;
    }

    static WalRateSignal fixed(DataSource dataSource, long throttleBytesPerSecond, long criticalBytesPerSecond) {
        return new WalRateSignal(dataSource, null, throttleBytesPerSecond, criticalBytesPerSecond);
    }

    static WalRateSignal overBaseline(DataSource dataSource, Baseline baseline) {
        return new WalRateSignal(dataSource, baseline, 0, 0);
    }

    @Override
    public HealthReading read() throws SQLException, InterruptedException {
        if (lastLsn < 0) {
            return start();
        }
        return judge(sinceLastRead(), throttle, critical, basis);
    }

    /** The first read: a reference point, and with a baseline, the thresholds derived from the rate over its window. */
    private HealthReading start() throws SQLException, InterruptedException {
        lastLsn = currentLsn();
        lastNanos = System.nanoTime();
        if (baseline == null) {
            return HealthReading.ok(NAME, "reference taken");
        }
        Thread.sleep(baseline.window().toMillis());
        long rate = sinceLastRead();
        throttle = baseline.throttleAt(rate);
        critical = CRITICAL_OVER_THROTTLE * throttle;
        basis = "; server's own rate " + mb(rate) + " over " + Durations.format(baseline.window());
        return HealthReading.ok(NAME, "baseline WAL " + mb(rate) + " (throttle at " + mb(throttle) + ", critical at "
                + mb(critical) + ")");
    }

    private long sinceLastRead() throws SQLException {
        long lsn = currentLsn();
        long now = System.nanoTime();
        long rate = (long) (Math.max(0, lsn - lastLsn) / (Math.max(1, now - lastNanos) / 1e9));
        lastLsn = lsn;
        lastNanos = now;
        return rate;
    }

    /** The reading for a measured rate. */
    static HealthReading judge(long bytesPerSecond, long throttle, long critical, String basis) {
        HealthReading.Level level = bytesPerSecond >= critical ? HealthReading.Level.CRITICAL
                : bytesPerSecond >= throttle ? HealthReading.Level.THROTTLE : HealthReading.Level.OK;
        return new HealthReading(NAME, level, "WAL " + mb(bytesPerSecond) + " (throttle at " + mb(throttle)
                + ", critical at " + mb(critical) + basis + ")");
    }

    private long currentLsn() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return ServerDialect.using(c, SQLDialect.POSTGRES)
                    .select(DSL.function("pg_wal_lsn_diff", SQLDataType.NUMERIC,
                            DSL.function("pg_current_wal_lsn", SQLDataType.OTHER), DSL.inline("0/0"))
                            .cast(SQLDataType.BIGINT))
                    .fetchSingle().value1();
        }
    }

    private static String mb(long bytesPerSecond) {
        return String.format(Locale.ROOT, bytesPerSecond < 10 * MB ? "%.1f MB/s" : "%.0f MB/s", bytesPerSecond / MB);
    }
}
