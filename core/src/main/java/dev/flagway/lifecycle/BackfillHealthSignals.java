package dev.flagway.lifecycle;

import dev.flagway.Migration;
import dev.flagway.backfill.LatencySignal;
import dev.flagway.dialect.HealthSignal;
import dev.flagway.internal.Checks;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health signals a lifecycle's backfill watches on top of its dialect's defaults (see
 * {@link MigrationLifecycles.Builder#backfillHealthSignals}), made afresh for each run: a signal may keep
 * state for one run only, as a {@link LatencySignal} takes its baseline once.
 */
@FunctionalInterface
public interface BackfillHealthSignals {
    /**
     * The signals of one backfill run of {@code migration}, called on the backfill's thread as the run
     * starts; an empty list adds none.
     */
    List<HealthSignal> forRun(Migration migration);

    /** No signal beyond the dialect's defaults: the lifecycle factory's default, and the command line's. */
    static BackfillHealthSignals none() {
        return migration -> List.of();
    }

    /**
     * A fresh {@link LatencySignal} over every timer named {@code meterName} in {@code registry} for each
     * run, e.g. Spring Boot's {@code http.server.requests}: the backfill backs off when the application's
     * requests slow down. When the registry holds no timer of that name as the run starts (an application
     * serving no requests, a test), or only step timers, the run gets no signal rather than waiting out a
     * baseline window with nothing to protect.
     */
    static BackfillHealthSignals applicationLatency(MeterRegistry registry, String meterName) {
        Checks.notNull("meter registry", registry);
        LatencySignal.builder(registry, meterName); // checks the name and the registry now
        Logger log = LoggerFactory.getLogger(BackfillHealthSignals.class);
        return migration -> {
            if (registry.find(meterName).timers().isEmpty()) {
                log.info("Backfill of migration '{}' runs without the application latency signal: no timer named "
                        + "'{}' was recorded yet", migration.id(), meterName);
                return List.of();
            }
            try {
                return List.of(LatencySignal.builder(registry, meterName).build());
            } catch (IllegalArgumentException stepTimers) {
                log.warn("Backfill of migration '{}' runs without the application latency signal: {}", migration.id(),
                        stepTimers.getMessage());
                return List.of();
            }
        };
    }
}
