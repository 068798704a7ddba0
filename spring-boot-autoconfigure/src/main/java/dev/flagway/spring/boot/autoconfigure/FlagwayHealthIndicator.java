package dev.flagway.spring.boot.autoconfigure;

import dev.flagway.routing.Flagway;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.breaker.CircuitBreaker;
import java.util.Locale;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Flagway's migrations in {@code /actuator/health} (opt-in: {@code management.health.flagway.enabled=true}):
 * {@code UP} while every breaker is closed, {@link #BREAKER_OPEN} while one keeps its migration off the new
 * path. {@code BREAKER_OPEN} is deliberately not {@code DOWN}: the application still answers every
 * request from the legacy column, and a liveness or readiness probe must not restart or drain a pod for
 * that. Spring Boot leaves a status it does not order out of the aggregate, so the application's overall
 * health stays {@code UP} unless {@code management.endpoint.health.status.order} names it.
 */
final class FlagwayHealthIndicator extends AbstractHealthIndicator {
    /** A migration's breaker is open (or half-open): reads are answered from the legacy column. */
    static final Status BREAKER_OPEN = new Status("BREAKER_OPEN",
            "a migration's circuit breaker keeps it off the new path; requests are served from the legacy column");

    private final Flagway flagway;

    FlagwayHealthIndicator(Flagway flagway) {
        super("Flagway health check failed");
        this.flagway = flagway;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean allClosed = true;
        for (MigrationRuntime runtime : flagway.migrations()) {
            CircuitBreaker.State state = runtime.breaker().state();
            allClosed &= state == CircuitBreaker.State.CLOSED;
            builder.withDetail(runtime.migration().id(), state.name().toLowerCase(Locale.ROOT));
        }
        builder.status(allClosed ? Status.UP : BREAKER_OPEN);
    }
}
