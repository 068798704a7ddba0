package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.HealthReading.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MySqlHealthSignalsTest {
    private static final MySqlSettings SETTINGS = MySqlSettings.custom().threadsRunningThrottle(10)
            .threadsRunningCritical(20).replicaLagThrottle(Duration.ofSeconds(5))
            .replicaLagCritical(Duration.ofSeconds(30)).build();

    @Test
    void threadsRunningThrottlesThenPauses() {
        assertThat(MySqlHealthSignals.threadsRunning(9, SETTINGS).level()).isEqualTo(Level.OK);
        assertThat(MySqlHealthSignals.threadsRunning(10, SETTINGS).level()).isEqualTo(Level.THROTTLE);
        HealthReading critical = MySqlHealthSignals.threadsRunning(25, SETTINGS);
        assertThat(critical.level()).isEqualTo(Level.CRITICAL);
        assertThat(critical.detail()).isEqualTo("Threads_running 25 (throttle at 10, pause at 20)");
    }

    @Test
    void mysqlReplicaLagIsTheWorstChannelWithoutItsIntentionalDelay() {
        HealthReading reading = MySqlHealthSignals.replicaLag(List.of(
                row("Channel_Name", "", "Replica_IO_Running", "Yes", "Replica_SQL_Running", "Yes",
                        "Seconds_Behind_Source", "2", "SQL_Delay", "0"),
                row("Channel_Name", "audit", "Replica_IO_Running", "Yes", "Replica_SQL_Running", "Yes",
                        "Seconds_Behind_Source", "3612", "SQL_Delay", "3600")), SETTINGS);

        assertThat(reading.level()).isEqualTo(Level.THROTTLE);
        assertThat(reading.detail()).isEqualTo("replica channel 'audit' lag 12s (throttle at 5s, pause at 30s)");
    }

    @Test
    void mariaDbReplicaLagUsesTheSlaveColumnsAndPausesWhenCritical() {
        HealthReading reading = MySqlHealthSignals.replicaLag(List.of(
                row("Connection_name", "", "Slave_IO_Running", "Yes", "Slave_SQL_Running", "Yes",
                        "Seconds_Behind_Master", "31")), SETTINGS);

        assertThat(reading.level()).isEqualTo(Level.CRITICAL);
        assertThat(reading.detail()).startsWith("replica lag 31s");
    }

    @Test
    void stoppedReplicationThrottlesBecauseItsLagIsUnknown() {
        HealthReading reading = MySqlHealthSignals.replicaLag(List.of(
                row("Slave_IO_Running", "Yes", "Slave_SQL_Running", "No", "Seconds_Behind_Master", null)), SETTINGS);

        assertThat(reading.level()).isEqualTo(Level.THROTTLE);
        assertThat(reading.detail()).isEqualTo("replica is not replicating (IO Yes, SQL No); its lag is unknown");
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aServerThatIsNotAReplicaIsHealthy(Server server) throws Exception {
        assertThat(MySqlHealthSignals.replicaLag(List.of(), SETTINGS)).isEqualTo(HealthReading.ok("replica-lag", "not a replica"));

        HealthReading local = MySqlHealthSignals.replicaLag(server.dataSource(), SETTINGS).read();
        assertThat(local).isEqualTo(HealthReading.ok("replica-lag", "not a replica"));
    }

    /**
     * MySQL 8's own SHOW REPLICA STATUS, read through a replication channel of the test server whose
     * source does not exist: the SQL thread runs, the IO thread cannot connect, so the lag is unknown.
     */
    @Test
    void mysql8ReplicaStatusIsReadFromShowReplicaStatus() throws Exception {
        DataSource ds = Server.MYSQL8.dataSource();
        String channel = "flagway_probe";
        try {
            Sql.exec(ds, "CHANGE REPLICATION SOURCE TO SOURCE_HOST = '127.0.0.1', SOURCE_PORT = 1, SOURCE_USER = 'nobody',"
                    + " SOURCE_CONNECT_RETRY = 60 FOR CHANNEL '" + channel + "'",
                    "START REPLICA SQL_THREAD FOR CHANNEL '" + channel + "'");

            HealthReading reading = MySqlHealthSignals.replicaLag(ds, SETTINGS).read();

            assertThat(reading.level()).isEqualTo(Level.THROTTLE);
            assertThat(reading.detail()).isEqualTo("replica channel '" + channel + "' is not replicating (IO No, SQL Yes);"
                    + " its lag is unknown");
        } finally {
            Sql.exec(ds, "STOP REPLICA FOR CHANNEL '" + channel + "'", "RESET REPLICA ALL FOR CHANNEL '" + channel + "'");
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void threadsRunningIsReadFromTheServer(Server server) throws Exception {
        HealthReading reading = MySqlHealthSignals.threadsRunning(server.dataSource(), MySqlSettings.ofDefaults()).read();

        assertThat(reading.signal()).isEqualTo(MySqlHealthSignals.THREADS_RUNNING);
        assertThat(reading.detail()).matches("Threads_running \\d+ \\(throttle at 32, pause at 64\\)");
    }

    private static Map<String, String> row(String... pairs) {
        Map<String, String> row = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            row.put(pairs[i], pairs[i + 1]);
        }
        return row;
    }
}
