package dev.flagway.openfeature;

import static org.assertj.core.api.Assertions.fail;

import dev.flagway.testing.TestDatabase;
import dev.openfeature.sdk.ImmutableContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * One test's database, uniquely named tables, and the providers it started; {@link #close()} shuts
 * the providers down and drops the tables.
 */
final class Fixture implements AutoCloseable {
    static final Duration REFRESH = Duration.ofMillis(100);

    final TestDatabase db;
    final SwitchableDataSource dataSource;
    final FlagwayTables tables;
    final FlagAdmin admin;
    private final List<FlagwayProvider> providers = new ArrayList<>();

    Fixture(TestDatabase db) {
        this.db = db;
        DataSource raw = db.dataSource();
        this.dataSource = new SwitchableDataSource(raw);
        this.tables = FlagwayTables.withPrefix(TestDatabase.uniqueName("fw") + "_");
        this.admin = FlagAdmin.create(raw, tables);
        admin.createTables();
    }

    /** A provider on this fixture's tables, refreshing every {@link #REFRESH}, not yet initialized. */
    FlagwayProvider provider() {
        FlagwayProvider p = FlagwayProvider.builder(dataSource).tables(tables).refreshInterval(REFRESH).build();
        providers.add(p);
        return p;
    }

    /** Shuts {@code p} down with the fixture. */
    void track(FlagwayProvider p) {
        providers.add(p);
    }

    /** An initialized provider. */
    FlagwayProvider started() throws Exception {
        FlagwayProvider p = provider();
        p.initialize(new ImmutableContext());
        return p;
    }

    @Override
    public void close() {
        dataSource.comeBack();
        for (FlagwayProvider p : providers) {
            p.shutdown();
        }
        admin.store().dropTables();
    }

    static ImmutableContext key(String targetingKey) {
        return new ImmutableContext(targetingKey);
    }

    /** Polls until the condition holds, failing after {@code intervals} refresh intervals. */
    static void within(int intervals, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + REFRESH.multipliedBy(intervals).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + intervals + " refresh intervals: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }
}
