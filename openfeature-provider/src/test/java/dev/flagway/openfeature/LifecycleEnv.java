package dev.flagway.openfeature;

import dev.flagway.routing.Flagway;
import dev.flagway.Migration;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.config.FlagwayProperties;
import dev.flagway.config.FlagwaySettings;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.dialect.Dialect;
import dev.flagway.dialect.H2Dialect;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.DataSourceTransactionRunner;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.lifecycle.FlagPosition;
import dev.flagway.lifecycle.FlagWriter;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.lifecycle.MigrationLifecycles;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.postgres.PostgresDialect;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.testing.TestDatabase;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jooq.impl.SQLDataType;

/**
 * One database for the lifecycle tests: a {@code users} table of {@code rows} rows with an e-mail
 * column to normalize, uniquely named bookkeeping tables, and any number of application instances
 * (provider, Flagway, lifecycle factory) on it. {@link #close()} drops everything.
 */
final class LifecycleEnv implements AutoCloseable {
    static final Duration CYCLE = Duration.ofDays(7);

    final TestDatabase db;
    final Fixture flags;
    final DataSource dataSource;
    final Dialect dialect;
    final String prefix = TestDatabase.uniqueName("lc");
    final String table = prefix + "_users";
    final String migrationId = "users-email";
    final String flagKey = prefix + "-users-email";
    /** The migration; a test may change it (e.g. its rollout plan) before creating instances. */
    Migration migration;
    /** The settings of the instances' Flagway (rollout tick, fleet health interval); a test may change them. */
    FlagwaySettings settings = FlagwaySettings.ofDefaults();
    /** How often each instance's provider reloads the flags; a test of several instances shortens it. */
    Duration providerRefresh = Duration.ofHours(1);
    /**
     * How long the lifecycles allow a flag change to reach the other instances (the backfill waits it out
     * after start-dual-write); zero by default, a test with traffic on several instances sets it above
     * {@link #providerRefresh}.
     */
    Duration flagPropagation = Duration.ZERO;
    /**
     * When set, each instance's Flagway runs its dual writes in transactions of its own
     * {@link Instance#transactions} on connections of this data source (the application's pool).
     */
    DataSource transactionsOn;
    /** The clock of the gate, journal and lifecycle table; tests move it forward. */
    final ShiftedClock clock = new ShiftedClock();
    private final List<Instance> instances = new ArrayList<>();

    /** Whether the migration is declared in properties only (expand and transform derived from them). */
    final boolean declared;

    LifecycleEnv(TestDatabase db, int rows) throws SQLException {
        this(db, rows, false);
    }

    /**
     * @param declared whether the migration comes from {@code flagway.migrations.users-email.*} properties
     *     (new column type, SQL transform, a 3-day business cycle) instead of code
     */
    LifecycleEnv(TestDatabase db, int rows, boolean declared) throws SQLException {
        this(db, rows, declared, Map.of());
    }

    /**
     * @param declared as above
     * @param extra more {@code flagway.migrations.users-email.*} properties (names relative to it) for a declared one
     */
    LifecycleEnv(TestDatabase db, int rows, boolean declared, Map<String, String> extra) throws SQLException {
        this.db = db;
        this.declared = declared;
        this.flags = Fixture.pooled(db);
        this.dataSource = flags.dataSource; // one database (H2 hands out a new one per dataSource() call)
        this.dialect = switch (db) {
            case H2 -> new H2Dialect();
            case POSTGRES -> new PostgresDialect();
            default -> MySqlDialect.detect(dataSource);
        };
        if (declared) {
            String p = "flagway.migrations." + migrationId + ".";
            Map<String, String> properties = new java.util.HashMap<>(Map.of(p + "flag", flagKey, p + "table", table,
                    p + "key-column", "id", p + "legacy-column", "email", p + "new-column", "email_normalized",
                    p + "new-column-type", "varchar(200)", p + "new-column-index", "true", p + "transform-sql",
                    "lower(trim(email))", p + "contract.business-cycle", "3d"));
            extra.forEach((k, v) -> properties.put(p + k, v));
            this.migration = FlagwayProperties.bind(properties).migrations().get(migrationId);
        } else {
            this.migration = Migration.builder(migrationId).flag(flagKey).table(table).keyColumn("id")
                    .legacyColumn("email").newColumn("email_normalized")
                    .transform(e -> e == null ? null : e.toString().trim().toLowerCase()).businessCycle(CYCLE).build();
        }
        exec("create table " + table + " (id bigint primary key, email varchar(200))");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into " + table + " (id, email) values (?, ?)")) {
            for (int i = 1; i <= rows; i++) {
                ps.setLong(1, i);
                ps.setString(2, "  User" + i + "@Example.COM ");
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A new application instance on this database: its own provider, Flagway, journal and lifecycle factory. */
    Instance instance() throws Exception {
        return instance(null);
    }

    /** An instance whose lifecycle moves the flag through {@code writer} (wrapping the provider's admin) when given. */
    Instance instance(PausingWriter writer) throws Exception {
        Instance i = new Instance(writer);
        instances.add(i);
        return i;
    }

    void exec(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The e-mail columns of a row: {legacy, new}. */
    String[] row(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select email, email_normalized from " + table + " where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new String[] {rs.getString(1), rs.getString(2)};
            }
        }
    }

    boolean columnExists(String column) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            String t = db == TestDatabase.H2 ? table.toUpperCase() : table;
            String col = db == TestDatabase.H2 ? column.toUpperCase() : column;
            try (ResultSet rs = c.getMetaData().getColumns(null, null, t, col)) {
                if (rs.next()) {
                    return true;
                }
            }
            try (ResultSet rs = c.getMetaData().getColumns(null, null, table, column)) {
                return rs.next();
            }
        }
    }

    boolean indexExists(String index) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (String t : List.of(table, table.toUpperCase())) {
                try (ResultSet rs = c.getMetaData().getIndexInfo(null, null, t, false, false)) {
                    while (rs.next()) {
                        if (index.equalsIgnoreCase(rs.getString("INDEX_NAME"))) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        for (Instance i : instances) {
            i.close();
        }
        for (String t : List.of(table, prefix + "_backfill", prefix + "_repair", prefix + "_bad_rows", prefix + "_verif",
                prefix + "_verif_history", prefix + "_audit", prefix + "_lifecycle", prefix + "_fallbacks",
                prefix + "_health")) {
            exec("drop table if exists " + t);
        }
        flags.close();
    }

    /** One application instance. */
    final class Instance implements AutoCloseable {
        final FlagwayProvider provider;
        final Client client;
        final FallbackJournal journal;
        final Flagway flagway;
        final MigrationLifecycles lifecycles;
        final MigrationLifecycle lifecycle;
        /**
         * The runner of this instance's dual writes when {@link #transactionsOn} is set, else null;
         * repositories use its data source.
         */
        final DataSourceTransactionRunner transactions;

        Instance(PausingWriter writer) throws Exception {
            provider = FlagwayProvider.builder(flags.dataSource).tables(flags.tables).refreshInterval(providerRefresh)
                    .build();
            String domain = "lifecycle-" + UUID.randomUUID();
            OpenFeatureAPI.getInstance().setProviderAndWait(domain, provider);
            client = OpenFeatureAPI.getInstance().getClient(domain);
            journal = FallbackJournal.start(dataSource, prefix + "_fallbacks", Duration.ofMinutes(10), clock);
            Flagway.Builder builder = Flagway.builder().client(client).settings(settings).migration(migration)
                    .fallbackListener(journal);
            transactions = transactionsOn == null ? null : new DataSourceTransactionRunner(transactionsOn);
            if (transactions != null) {
                builder.transactionRunner(transactions).repairLog(RepairLog.named(prefix + "_repair"))
                        .badRowLog(BadRowLog.named(prefix + "_bad_rows"));
            }
            flagway = builder.build();
            FlagWriter flagWriter = provider.admin();
            if (writer != null) {
                writer.delegate = flagWriter;
                flagWriter = writer;
            }
            lifecycles = factory(flagway, flagWriter).build();
            lifecycle = lifecycles.lifecycle(migrationId);
        }

        /** The stage this instance's provider serves a user now. */
        String served(String user) {
            return client.getStringValue(flagKey, "unset", new ImmutableContext(user));
        }

        @Override
        public void close() {
            lifecycles.close();
            flagway.close();
            journal.close();
            provider.shutdown();
        }
    }

    /** A lifecycle factory on this environment's tables. */
    MigrationLifecycles.Builder factory(Flagway flagway, FlagWriter writer) {
        return factory(flagway, writer, dataSource);
    }

    /** A lifecycle factory on this environment's tables, reaching them through {@code through}. */
    MigrationLifecycles.Builder factory(Flagway flagway, FlagWriter writer, DataSource through) {
        MigrationLifecycles.Builder b = MigrationLifecycles.builder(flagway, through, dialect, writer)
                .backfillSettings(BackfillSettings.custom().checkpointTable(prefix + "_backfill")
                        .repairTable(prefix + "_repair").badRowTable(prefix + "_bad_rows").build())
                .verificationTable(prefix + "_verif")
                .auditTable(prefix + "_audit")
                .lifecycleTable(prefix + "_lifecycle")
                .fleetHealthTable(prefix + "_health")
                .flagPropagation(flagPropagation) // zero: the tests' instances move the flag through their own provider
                .clock(clock);
        return declared ? b
                : b.expand(migrationId, SchemaOperation.addColumn(table, "email_normalized", SQLDataType.VARCHAR(200)));
    }

    /** A clock ahead of the system clock by a shift the test sets. */
    static final class ShiftedClock extends Clock {
        final AtomicReference<Duration> shift = new AtomicReference<>(Duration.ZERO);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift.get());
        }
    }

    /** A flag writer whose next {@link #read} waits until released: holds a move between its check and its claim. */
    static final class PausingWriter implements FlagWriter {
        volatile FlagWriter delegate;
        final CountDownLatch arrived = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        /** When set, every write fails with it (the flag store is down). */
        volatile RuntimeException failWrites;
        private final java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();

        /** The next read signals {@link #arrived} and waits for {@link #release}. */
        void pauseNextRead() {
            armed.set(true);
        }

        @Override
        public Optional<FlagPosition> read(String flagKey) {
            if (armed.compareAndSet(true, false)) {
                arrived.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.read(flagKey);
        }

        @Override
        public FlagPosition write(String flagKey, FlagPosition target, String actor, String reason) {
            RuntimeException failure = failWrites;
            if (failure != null) {
                throw failure;
            }
            return delegate.write(flagKey, target, actor, reason);
        }

        @Override
        public Optional<Instant> fullyModernSince(String flagKey) {
            return delegate.fullyModernSince(flagKey);
        }
    }
}
