package dev.flagway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import java.util.List;
import org.junit.jupiter.api.Test;

class LazyMetersTest {

    private static final List<String> EVENT_COUNTERS = List.of("flagway.reads", "flagway.writes", "flagway.fallbacks",
            "flagway.shadow.reads", "flagway.shadow.mismatches", "flagway.repairs");

    @Test
    void aMigrationThatHasDoneNothingShowsNoCounters() {
        try (Fixture fx = Fixture.create()) {
            assertThat(fx.meters.getMeters()).filteredOn(m -> m instanceof Counter).isEmpty();
            assertThat(fx.meters.getMeters()).extracting(m -> m.getId().getName())
                    .contains("flagway.breaker.state", "flagway.pinned.keys");
        }
    }

    @Test
    void aCounterAppearsWithItsFirstEventUnderItsName() {
        try (Fixture fx = Fixture.create()) {
            fx.legacy.setEmail(1, "ada@example.com");
            fx.repository.email(1);
            fx.repository.email(1);

            List<Meter> counters = fx.meters.getMeters().stream()
                    .filter(m -> EVENT_COUNTERS.contains(m.getId().getName())).toList();
            assertThat(counters).hasSize(1);
            Counter reads = fx.meters.get("flagway.reads").tags("migration", "users-email", "stage", "off",
                    "path", "legacy", "outcome", "success").counter();
            assertThat(reads.count()).isEqualTo(2.0);
        }
    }
}
