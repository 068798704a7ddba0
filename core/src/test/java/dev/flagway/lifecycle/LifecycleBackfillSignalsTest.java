package dev.flagway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.Migration;
import dev.flagway.backfill.BackfillProgress;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.BackfillState;
import dev.flagway.backfill.LatencySignal;
import dev.flagway.config.FlagwayProperties;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.dialect.H2Dialect;
import dev.flagway.dialect.HealthReading;
import dev.flagway.dialect.HealthSignal;
import dev.flagway.jdbc.DataSourceTransactionRunner;
import dev.flagway.routing.Flagway;
import dev.flagway.testing.TestDatabase;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The signals a lifecycle factory adds to its backfills ({@link MigrationLifecycles.Builder#backfillHealthSignals}):
 * made for each run, read by the run next to the dialect's, shown in its progress; and the
 * application-latency ones, which only exist when the application records the named timers.
 */
class LifecycleBackfillSignalsTest {
    private final DataSource dataSource = TestDatabase.H2.dataSource();
    private final List<String> runsOf = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private FallbackJournal journal;
    private Flagway flagway;

    @AfterEach
    void close() {
        if (flagway != null) {
            flagway.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    @Test
    void eachBackfillRunWatchesTheSignalsMadeForItOnTopOfTheDialectsAndShowsTheirReadings() throws Exception {
        MigrationLifecycles lifecycles = lifecycles(withUsers(40)).backfillHealthSignals(migration -> {
            runsOf.add(migration.id());
            return List.of(slowOnce());
        }).build();
        MigrationLifecycle users = lifecycles.lifecycle("users-email");
        users.expand("alice", "CHG-1");
        users.startDualWrite("alice", "CHG-1");
        List<BackfillProgress> progress = new CopyOnWriteArrayList<>();

        BackfillResult first = users.backfill("alice", "CHG-1", progress::add);
        BackfillResult second = users.backfill("alice", "CHG-1 again");

        assertThat(first.state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(first.rowsUpdated()).isEqualTo(40);
        assertThat(second.state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(runsOf).containsExactly("users-email", "users-email");
        assertThat(reads).hasPositiveValue();
        assertThat(progress).extracting(BackfillProgress::throttleReason)
                .contains("THROTTLE fake-latency: requests slowed down");
    }

    @Test
    void withoutTheHookTheBackfillWatchesTheDialectsSignalsOnly() throws Exception {
        MigrationLifecycle users = lifecycles(withUsers(5)).build().lifecycle("users-email");
        users.expand("alice", "CHG-1");
        users.startDualWrite("alice", "CHG-1");
        List<BackfillProgress> progress = new CopyOnWriteArrayList<>();

        assertThat(users.backfill("alice", "CHG-1", progress::add).state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(progress).extracting(BackfillProgress::throttleReason).containsOnlyNulls();
    }

    @Test
    void theApplicationLatencySignalsExistOnlyWhenTheApplicationRecordsTheNamedTimers() {
        MeterRegistry registry = new SimpleMeterRegistry();
        BackfillHealthSignals latency = BackfillHealthSignals.applicationLatency(registry, "http.server.requests");
        Migration migration = Migration.builder("users-email").table("users").keyColumn("id").legacyColumn("email")
                .newColumn("email_normalized").build();

        assertThat(latency.forRun(migration)).as("no timer yet: a non-web application, a test").isEmpty();
        registry.timer("http.server.requests", "uri", "/users").record(Duration.ofMillis(2));
        List<HealthSignal> first = latency.forRun(migration);
        List<HealthSignal> second = latency.forRun(migration);

        assertThat(first).singleElement().isInstanceOf(LatencySignal.class);
        assertThat(second).singleElement().isNotSameAs(first.get(0)); // a baseline of its own for each run
        assertThat(BackfillHealthSignals.none().forRun(migration)).isEmpty();
    }

    /** A signal reading THROTTLE once, then OK: the run pauses briefly and goes on. */
    private HealthSignal slowOnce() {
        AtomicInteger own = new AtomicInteger();
        return () -> {
            reads.incrementAndGet();
            return own.getAndIncrement() == 0
                    ? new HealthReading("fake-latency", HealthReading.Level.THROTTLE, "requests slowed down")
                    : HealthReading.ok("fake-latency", "as usual");
        };
    }

    private DataSource withUsers(int rows) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table users (id bigint primary key, email varchar(200))");
            for (int i = 1; i <= rows; i++) {
                s.execute("insert into users values (" + i + ", 'User" + i + "@Example.com')");
            }
        }
        return dataSource;
    }

    private MigrationLifecycles.Builder lifecycles(DataSource dataSource) {
        String domain = "lifecycle-signals-" + UUID.randomUUID();
        OpenFeatureAPI.getInstance().setProviderAndWait(domain, new InMemoryProvider(Map.of("users-email",
                Flag.<String>builder().variant("off", "off").defaultVariant("off").build())));
        journal = FallbackJournal.start(dataSource);
        flagway = Flagway.builder().client(OpenFeatureAPI.getInstance().getClient(domain))
                .settings(FlagwayProperties.bind(Map.of(
                        "flagway.migrations.users-email.table", "users",
                        "flagway.migrations.users-email.key-column", "id",
                        "flagway.migrations.users-email.legacy-column", "email",
                        "flagway.migrations.users-email.new-column", "email_normalized",
                        "flagway.migrations.users-email.new-column-type", "varchar(200)",
                        "flagway.migrations.users-email.transform-sql", "lower(email)")))
                .transactionRunner(new DataSourceTransactionRunner(dataSource)).fallbackListener(journal).build();
        return MigrationLifecycles.builder(flagway, dataSource, new H2Dialect(), new MemoryFlags())
                .background(false).flagPropagation(Duration.ZERO)
                .backfillSettings(BackfillSettings.custom().initialBatchSize(10).minBatchSize(10).maxBatchSize(10)
                        .throttlePause(Duration.ofMillis(10)).healthCheckInterval(Duration.ofMillis(1)).build());
    }

    /** Flags kept in memory: written and read back, never fully modern. */
    private static final class MemoryFlags implements FlagWriter {
        private final Map<String, FlagPosition> flags = new ConcurrentHashMap<>();

        @Override
        public Optional<FlagPosition> read(String flagKey) {
            return Optional.ofNullable(flags.get(flagKey));
        }

        @Override
        public FlagPosition write(String flagKey, FlagPosition target, String actor, String reason) {
            flags.put(flagKey, target);
            return target;
        }

        @Override
        public Optional<Instant> fullyModernSince(String flagKey) {
            return Optional.empty();
        }
    }
}
