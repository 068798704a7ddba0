package dev.flagway.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackfillSettingsTest {
    @Test
    void restRatioRestsThatShareOfEachBatchsDuration() {
        BackfillSettings settings = BackfillSettings.custom().restRatio(0.5).build();

        assertThat(settings.restMillisAfter(10_000, Duration.ofMillis(200))).isEqualTo(100);
    }

    @Test
    void theRowsPerSecondCapRestsLongerWhenItIsTheStricter() {
        BackfillSettings settings = BackfillSettings.custom().restRatio(0.5).maxRowsPerSecond(1_000).build();

        assertThat(settings.restMillisAfter(500, Duration.ofMillis(200))).isEqualTo(300);
        assertThat(settings.restMillisAfter(100, Duration.ofMillis(200))).isEqualTo(100);
    }

    @Test
    void byDefaultBatchesFollowEachOtherWithoutRest() {
        assertThat(BackfillSettings.ofDefaults().restMillisAfter(10_000, Duration.ofMillis(200))).isZero();
    }

    @Test
    void restRatioOutsideZeroToHundredIsRejectedNamingTheValue() {
        assertThatThrownBy(() -> BackfillSettings.custom().restRatio(-0.5))
                .hasMessage("backfill rest-ratio must be between 0 and 100, e.g. 1.0, but was -0.5");
        assertThatThrownBy(() -> BackfillSettings.custom().restRatio(Double.NaN))
                .hasMessage("backfill rest-ratio must be between 0 and 100, e.g. 1.0, but was NaN");
        assertThatThrownBy(() -> BackfillSettings.custom().restRatio(250))
                .hasMessage("backfill rest-ratio must be between 0 and 100, e.g. 1.0, but was 250.0");
    }
}
