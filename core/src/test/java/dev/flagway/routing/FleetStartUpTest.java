package dev.flagway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.backfill.CheckpointStore;
import dev.flagway.config.FlagwayProperties;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.dialect.H2Dialect;
import dev.flagway.BookkeepingTableException;
import dev.flagway.jdbc.BookkeepingTables;
import dev.flagway.jdbc.DataSourceTransactionRunner;
import dev.flagway.lifecycle.FlagPosition;
import dev.flagway.lifecycle.FlagWriter;
import dev.flagway.lifecycle.LifecyclePhase;
import dev.flagway.lifecycle.MigrationLifecycles;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.testing.TestDatabase;
import dev.flagway.verify.VerificationLog;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.tools.jdbc.JDBCUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A whole fleet starting at the same moment against a schema without Flagway's tables: eight
 * instances, each with its own data source, build {@code Flagway} and touch every other store of
 * Flagway's tables at once. And an application that creates the tables itself, from
 * {@link BookkeepingTables#script}. Each test gets a fresh, empty schema (a database on MariaDB).
 */
class FleetStartUpTest {
    private static final int INSTANCES = 8;
    private static final List<String> TABLES = List.of("flagway_backfill", "flagway_repair", "flagway_bad_rows",
            "flagway_verification", "flagway_verification_history", "flagway_fallbacks", "flagway_schema_audit",
            "flagway_lifecycle", "flagway_fleet_health");

    private final TestFlags flags = TestFlags.install();
    private TestDatabase db;
    private String schema;

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            execute(db.dataSource(), db == TestDatabase.POSTGRES ? "drop schema " + schema + " cascade"
                    : "drop database " + schema);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB"})
    void eightInstancesStartingAtOnceAgainstAnEmptySchemaAllStartAndCreateEachTableOnce(TestDatabase database)
            throws Exception {
        List<DataSource> instances = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            instances.add(freshSchema(database, i == 0));
        }
        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> started = new ArrayList<>();
        for (DataSource dataSource : instances) {
            started.add(pool.submit(() -> {
                start.await();
                startInstance(dataSource);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> instance : started) {
            instance.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(tablesIn(instances.get(0))).containsExactlyInAnyOrderElementsOf(TABLES);
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB"})
    void applicationThatMayNotCreateTablesIsToldWhichIsMissingAndStartsOnceItRanTheScript(TestDatabase database)
            throws Exception {
        DataSource dataSource = freshSchema(database, true);
        Properties noDdl = new Properties();
        noDdl.setProperty("flagway.tables.create", "false");

        assertThatThrownBy(() -> flagway(dataSource, noDdl)).isInstanceOf(BookkeepingTableException.class)
                .hasMessageContaining("flagway_repair does not exist")
                .hasMessageContaining("flagway.tables.create=false")
                .hasMessageContaining("BookkeepingTables.script");
        assertThat(tablesIn(dataSource)).isEmpty();

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            SQLDialect dialect = JDBCUtils.dialect(c);
            for (String statement : BookkeepingTables.statements(dialect)) {
                s.execute(statement);
            }
        }
        assertThat(tablesIn(dataSource)).containsExactlyInAnyOrderElementsOf(TABLES);
        flagway(dataSource, noDdl).close();
    }

    private void startInstance(DataSource dataSource) throws SQLException {
        try (FallbackJournal journal = FallbackJournal.start(dataSource, FallbackJournal.DEFAULT_TABLE,
                     Duration.ofMinutes(1), Clock.systemUTC());
             Flagway flagway = flagway(dataSource, new Properties(), journal)) {
            assertThat(flagway.migration("users-email").pinnedToLegacy("1")).isFalse();
            MigrationLifecycles lifecycles = MigrationLifecycles.builder(flagway, dataSource, new H2Dialect(),
                    new NoFlags()).build();
            assertThat(lifecycles.lifecycle("users-email").state().phase()).isEqualTo(LifecyclePhase.PLANNED);
            assertThat(new CheckpointStore(dataSource).load("users-email")).isEmpty();
            assertThat(new VerificationLog(dataSource).last("users-email")).isEmpty();
            assertThat(new JdbcAuditLog(dataSource).events("users-email")).isEmpty();
            assertThat(journal.fallbacksSince("users-email", Clock.systemUTC().instant())).isZero();
        }
    }

    private Flagway flagway(DataSource dataSource, Properties properties) {
        return flagway(dataSource, properties, null);
    }

    private Flagway flagway(DataSource dataSource, Properties properties, FallbackJournal journal) {
        properties.setProperty("flagway.migrations.users-email.table", "users");
        properties.setProperty("flagway.migrations.users-email.key-column", "id");
        properties.setProperty("flagway.migrations.users-email.legacy-column", "email");
        properties.setProperty("flagway.migrations.users-email.new-column", "email_normalized");
        properties.setProperty("flagway.migrations.users-email.new-column-type", "varchar(320)");
        Flagway.Builder builder = Flagway.builder().client(flags.client()).settings(FlagwayProperties.bind(properties))
                .transactionRunner(new DataSourceTransactionRunner(dataSource));
        return (journal == null ? builder : builder.fallbackListener(journal)).build();
    }

    /** A flag store with no flag: these tests only start the lifecycle and read its state. */
    private static final class NoFlags implements FlagWriter {
        @Override
        public Optional<FlagPosition> read(String flagKey) {
            return Optional.empty();
        }

        @Override
        public FlagPosition write(String flagKey, FlagPosition target, String actor, String reason) {
            throw new UnsupportedOperationException("no flag is written at start-up");
        }

        @Override
        public Optional<Instant> fullyModernSince(String flagKey) {
            return Optional.empty();
        }
    }

    /** A data source on this test's own empty schema, created when {@code create}; a new object each call. */
    private DataSource freshSchema(TestDatabase database, boolean create) throws SQLException {
        db = database;
        if (create) {
            schema = TestDatabase.uniqueName("flagway_fleet");
            execute(database.dataSource(), (database == TestDatabase.POSTGRES ? "create schema " : "create database ")
                    + schema);
        }
        TestDatabase.Endpoint endpoint = database.endpoint();
        if (database == TestDatabase.POSTGRES) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(endpoint.url());
            if (!endpoint.user().isEmpty()) {
                ds.setUser(endpoint.user());
            }
            ds.setPassword(endpoint.password());
            ds.setCurrentSchema(schema);
            return ds;
        }
        MariaDbDataSource ds = new MariaDbDataSource(endpoint.url().replaceFirst("(//[^/]+/)[^?]*", "$1" + schema));
        if (!endpoint.user().isEmpty()) {
            ds.setUser(endpoint.user());
        }
        ds.setPassword(endpoint.password());
        return ds;
    }

    private List<String> tablesIn(DataSource dataSource) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            boolean postgres = db == TestDatabase.POSTGRES;
            try (ResultSet rs = meta.getTables(postgres ? null : schema, postgres ? schema : null, "%",
                    new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
        }
        return tables;
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
