package dev.flagway.examples;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@link RoutingCounters} read from Flagway's own meters ({@code flagway.reads}, {@code flagway.fallbacks}, ...). */
final class MeterRoutingCounters implements RoutingCounters {
    private final MeterRegistry meters;

    MeterRoutingCounters(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public long modernReads() {
        return sum("flagway.reads", "path", "modern", "outcome", "success");
    }

    @Override
    public long legacyReads() {
        return sum("flagway.reads", "path", "legacy", "outcome", "success");
    }

    @Override
    public long modernFailures() {
        return sum("flagway.reads", "path", "modern", "outcome", "error")
                + sum("flagway.writes", "path", "modern", "outcome", "error")
                + sum("flagway.shadow.reads", "outcome", "failure");
    }

    @Override
    public long fallbacks() {
        return sum("flagway.fallbacks");
    }

    @Override
    public long shadowMismatches() {
        return sum("flagway.shadow.mismatches");
    }

    private long sum(String name, String... tags) {
        return (long) meters.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }
}
