package dev.flagway.routing;

import dev.flagway.Migration;
import dev.flagway.ShadowConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A Flagway over in-memory legacy and modern repositories, with a test flag provider and meters.
 * LIVE's random sampling of legacy reads is off unless a test sets its own shadow settings: a sampled
 * comparison re-reads a path on the shadow pool, so call counts would vary from run to run.
 */
final class Fixture implements AutoCloseable {
    final TestFlags flags = TestFlags.install();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final EmailRepository.InMemory legacy = new EmailRepository.InMemory("legacy");
    final EmailRepository.InMemory modern = new EmailRepository.InMemory("modern");
    final Flagway flagway;
    final MigrationRuntime runtime;
    final EmailRepository repository;

    private Fixture(UnaryOperator<Migration.Builder> migration, UnaryOperator<Flagway.Builder> builder) {
        Migration definition = migration.apply(Migration.builder("users-email")
                .table("users").keyColumn("id").legacyColumn("email").newColumn("email_normalized")
                .shadow(ShadowConfig.custom().liveSampleRate(0.0).build())).build();
        this.flagway = builder.apply(Flagway.builder().client(flags.client()).meterRegistry(meters)
                .migration(definition)).build();
        this.runtime = flagway.migration("users-email");
        this.repository = DualWriteRepository.of(EmailRepository.class)
                .legacy(legacy).modern(modern).migration(runtime).wrap();
    }

    static Fixture create() {
        return new Fixture(UnaryOperator.identity(), UnaryOperator.identity());
    }

    static Fixture create(UnaryOperator<Migration.Builder> migration, UnaryOperator<Flagway.Builder> builder) {
        return new Fixture(migration, builder);
    }

    /** The sum of a counter over every series matching the tags. */
    double count(String name, String... tags) {
        return meters.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Polls until the condition holds; fails after 10 s (a liveness bound, not a performance claim). */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        flagway.close();
    }
}
