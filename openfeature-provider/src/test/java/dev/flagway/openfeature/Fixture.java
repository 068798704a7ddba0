package dev.flagway.openfeature;

import static org.assertj.core.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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

    /** The pool of a {@linkplain #pooled pooled} fixture on a server, or null. */
    private final HikariDataSource pool;

    Fixture(TestDatabase db) {
        this(db, false);
    }

    private Fixture(TestDatabase db, boolean pooled) {
        this.db = db;
        this.pool = pooled && db != TestDatabase.H2 ? pool(db.dataSource()) : null;
        DataSource raw = pool != null ? pool : db.dataSource();
        this.dataSource = new SwitchableDataSource(raw);
        this.tables = FlagwayTables.withPrefix(TestDatabase.uniqueName("fw") + "_");
        this.admin = FlagAdmin.create(raw, tables);
        admin.createTables();
    }

    /**
     * A fixture whose connections come from a pool, as an application's do: the lifecycle opens a
     * connection per step, and a new PostgreSQL one costs about 17 ms on this machine (a process per
     * session), which made the lifecycle tests spend most of their time connecting.
     */
    static Fixture pooled(TestDatabase db) {
        return new Fixture(db, true);
    }

    private static HikariDataSource pool(DataSource server) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(server);
        config.setPoolName("fixture-" + TestDatabase.uniqueName("pool"));
        config.setMaximumPoolSize(40); // traffic threads, two instances' background threads, the lifecycle's runs
        config.setMinimumIdle(0);
        return new HikariDataSource(config);
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
        if (pool != null) {
            pool.close();
        }
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
