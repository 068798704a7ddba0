package dev.flagway.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.HealthReading.Level;
import dev.flagway.dialect.HealthSignal;
import dev.flagway.testing.TestDatabase;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.Test;

class PostgresHealthSignalsTest {
    private static final long MB = 1024L * 1024L;

    @Test
    void walRateThrottlesFromAMultipleOfTheServersOwnRateButNeverBelowTheFloor() {
        WalRateSignal.Baseline baseline = new WalRateSignal.Baseline(4.0, 128 * MB, Duration.ofSeconds(2));

        assertThat(baseline.throttleAt(MB / 10)).isEqualTo(128 * MB);
        assertThat(baseline.throttleAt(50 * MB)).isEqualTo(200 * MB);
    }

    @Test
    void walRateReadingNamesTheRateItsThresholdsAndTheirBasis() {
        HealthReading reading = WalRateSignal.judge(150 * MB, 128 * MB, 512 * MB, "; server's own rate 0.1 MB/s over 2s");

        assertThat(reading.level()).isEqualTo(Level.THROTTLE);
        assertThat(reading.detail())
                .isEqualTo("WAL 150 MB/s (throttle at 128 MB/s, critical at 512 MB/s; server's own rate 0.1 MB/s over 2s)");
        assertThat(WalRateSignal.judge(600 * MB, 128 * MB, 512 * MB, "").level()).isEqualTo(Level.CRITICAL);
        assertThat(WalRateSignal.judge(100 * MB, 128 * MB, 512 * MB, "").level()).isEqualTo(Level.OK);
    }

    @Test
    void defaultWalRateFirstMeasuresTheServersOwnRateAndSaysWhatItWillThrottleAt() throws Exception {
        HealthSignal signal = PostgresHealthSignals.walRateOverBaseline(TestDatabase.POSTGRES.dataSource(), 4.0,
                128 * MB, Duration.ofMillis(200));

        HealthReading first = signal.read();

        assertThat(first.level()).isEqualTo(Level.OK);
        assertThat(first.detail()).matches("baseline WAL [0-9.]+ MB/s \\(throttle at [0-9]+ MB/s, critical at [0-9]+ MB/s\\)");
    }

    @Test
    void walRateWithFixedThresholdsThrottlesOnABurstOfWal() throws Exception {
        try (PgFixture f = new PgFixture(200_000, true)) {
            HealthSignal signal = PostgresHealthSignals.walRate(f.dataSource, MB, 1024 * 1024 * MB);
            assertThat(signal.read().detail()).isEqualTo("reference taken");

            f.exec("update " + f.table + " set email_normalized = lower(email)");

            HealthReading reading = signal.read();
            assertThat(reading.level()).isEqualTo(Level.THROTTLE);
            assertThat(reading.detail()).contains("throttle at 1.0 MB/s");
        }
    }

    @Test
    void walRateOverBaselineRejectsSettingsThatCannotWork() {
        DataSource ds = new PGSimpleDataSource();

        assertThatThrownBy(() -> PostgresHealthSignals.walRateOverBaseline(ds, 0.5, 128 * MB, Duration.ofSeconds(2)))
                .hasMessage("WAL rate multiple must be a number of at least 1 but was 0.5");
        assertThatThrownBy(() -> PostgresHealthSignals.walRateOverBaseline(ds, 4, 0, Duration.ofSeconds(2)))
                .hasMessage("WAL rate floor must be positive bytes per second but was 0");
        assertThatThrownBy(() -> PostgresHealthSignals.walRateOverBaseline(ds, 4, 128 * MB, Duration.ZERO))
                .hasMessage("WAL rate baseline window must be positive but was 0ms");
    }
}
