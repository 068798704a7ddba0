package dev.flagway.mysql;

import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.HealthSignal;
import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The MySQL/MariaDB health signals a backfill watches: server load ({@code Threads_running}) and
 * replica lag ({@code SHOW REPLICA STATUS} on MySQL 8.0.22+, {@code SHOW ALL SLAVES STATUS} on
 * MariaDB, {@code SHOW SLAVE STATUS} on older MySQL). Add a replica's signal to a backfill with
 * {@code Backfill.builder(...).addHealthSignal(MySqlHealthSignals.replicaLag(replica, settings))},
 * or list the replicas once in {@link MySqlDialect.Builder#replicas}.
 */
public final class MySqlHealthSignals {
    /** The name of the load signal. */
    public static final String THREADS_RUNNING = "threads-running";
    /** The name of the replica-lag signal. */
    public static final String REPLICA_LAG = "replica-lag";

    private MySqlHealthSignals() {
    }

    /**
     * The server's {@code Threads_running}: THROTTLE from {@link MySqlSettings#threadsRunningThrottle()},
     * CRITICAL from {@link MySqlSettings#threadsRunningCritical()}.
     */
    public static HealthSignal threadsRunning(DataSource dataSource, MySqlSettings settings) {
        Checks.notNull("data source", dataSource);
        Checks.notNull("mysql settings", settings);
        return () -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Threads_running'")) {
                if (!rs.next()) {
                    throw new SQLException("the server reports no Threads_running status");
                }
                return threadsRunning(Long.parseLong(rs.getString(2)), settings);
            }
        };
    }

    /**
     * The replication lag of the replica behind {@code replica} (its worst channel): THROTTLE from
     * {@link MySqlSettings#replicaLagThrottle()}, CRITICAL from {@link MySqlSettings#replicaLagCritical()},
     * THROTTLE while replication is stopped (its lag is unknown). An intentional {@code SQL_Delay} is
     * not counted as lag. A server that is not a replica reads OK.
     */
    public static HealthSignal replicaLag(DataSource replica, MySqlSettings settings) {
        Checks.notNull("replica data source", replica);
        Checks.notNull("mysql settings", settings);
        return new HealthSignal() {
            private String statement;

            @Override
            public HealthReading read() throws SQLException {
                try (Connection c = replica.getConnection()) {
                    if (statement == null) {
                        statement = MySqlServer.identify(c).replicaStatusStatement();
                    }
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(statement)) {
                        return replicaLag(rows(rs), settings);
                    }
                }
            }
        };
    }

    /** The reading for a {@code Threads_running} value. */
    static HealthReading threadsRunning(long running, MySqlSettings settings) {
        String detail = "Threads_running " + running + " (throttle at " + settings.threadsRunningThrottle()
                + ", pause at " + settings.threadsRunningCritical() + ")";
        return new HealthReading(THREADS_RUNNING, running >= settings.threadsRunningCritical() ? HealthReading.Level.CRITICAL
                : running >= settings.threadsRunningThrottle() ? HealthReading.Level.THROTTLE : HealthReading.Level.OK,
                detail);
    }

    /**
     * The reading for the rows of a replica-status statement (one per channel), whatever the column
     * names' generation ({@code Seconds_Behind_Source} or {@code Seconds_Behind_Master}).
     */
    static HealthReading replicaLag(List<Map<String, String>> rows, MySqlSettings settings) {
        if (rows.isEmpty()) {
            return HealthReading.ok(REPLICA_LAG, "not a replica");
        }
        HealthReading worst = null;
        for (Map<String, String> row : rows) {
            HealthReading reading = channelLag(row, settings);
            if (worst == null || reading.level().compareTo(worst.level()) > 0) {
                worst = reading;
            }
        }
        return worst;
    }

    private static HealthReading channelLag(Map<String, String> row, MySqlSettings settings) {
        String channel = first(row, "Channel_Name", "Connection_name");
        String where = channel == null || channel.isEmpty() ? "replica" : "replica channel '" + channel + "'";
        String sqlRunning = first(row, "Replica_SQL_Running", "Slave_SQL_Running");
        String ioRunning = first(row, "Replica_IO_Running", "Slave_IO_Running");
        String seconds = first(row, "Seconds_Behind_Source", "Seconds_Behind_Master");
        // MySQL 8 reports Seconds_Behind_Source 0, not NULL, once the SQL thread has applied its relay
        // log while the IO thread cannot reach the source: without both threads the lag is unknown.
        if (!"Yes".equalsIgnoreCase(sqlRunning) || !"Yes".equalsIgnoreCase(ioRunning) || seconds == null) {
            return new HealthReading(REPLICA_LAG, HealthReading.Level.THROTTLE, where + " is not replicating (IO "
                    + ioRunning + ", SQL " + sqlRunning + "); its lag is unknown");
        }
        String delay = first(row, "SQL_Delay");
        long lagSeconds = Math.max(0, Long.parseLong(seconds) - (delay == null ? 0 : Long.parseLong(delay)));
        Duration lag = Duration.ofSeconds(lagSeconds);
        String detail = where + " lag " + Durations.format(lag) + " (throttle at "
                + Durations.format(settings.replicaLagThrottle()) + ", pause at "
                + Durations.format(settings.replicaLagCritical()) + ")";
        HealthReading.Level level = lag.compareTo(settings.replicaLagCritical()) >= 0 ? HealthReading.Level.CRITICAL
                : lag.compareTo(settings.replicaLagThrottle()) >= 0 ? HealthReading.Level.THROTTLE : HealthReading.Level.OK;
        return new HealthReading(REPLICA_LAG, level, detail);
    }

    private static String first(Map<String, String> row, String... names) {
        for (String name : names) {
            if (row.containsKey(name)) {
                return row.get(name);
            }
        }
        return null;
    }

    private static List<Map<String, String>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<Map<String, String>> rows = new ArrayList<>();
        while (rs.next()) {
            Map<String, String> row = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                row.put(meta.getColumnLabel(i), rs.getString(i));
            }
            rows.add(row);
        }
        return rows;
    }
}
