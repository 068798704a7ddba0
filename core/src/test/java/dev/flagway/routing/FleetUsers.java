package dev.flagway.routing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.flagway.DualWrite;
import dev.flagway.FlagRouted;
import dev.flagway.Migration;
import dev.flagway.RowKey;
import dev.flagway.TargetingKey;
import dev.flagway.breaker.BreakerConfig;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.DataSourceTransactionRunner;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.testing.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import javax.sql.DataSource;

/**
 * A users table on one of the test databases and a fleet of application instances on it: each its
 * own connection pool, transaction runner and {@link Flagway}, sharing the flags and the database.
 * The legacy column keeps an address as typed, the new one trimmed and lower-case; the application
 * reads the normalized address from either.
 */
final class FleetUsers implements AutoCloseable {
    /** The application's repository. */
    interface Users {
        @FlagRouted
        String email(@TargetingKey long id);

        @DualWrite
        void save(@TargetingKey @RowKey long id, String email);
    }

    final DataSource dataSource;
    final String table = TestDatabase.uniqueName("users");
    final String repairTable = table + "_repair";
    final String badRowTable = table + "_bad";
    final TestFlags flags = TestFlags.install();
    private final List<Instance> instances = new ArrayList<>();

    FleetUsers(TestDatabase db, int users, boolean uniqueNewColumn) throws SQLException {
        this.dataSource = db.dataSource();
        execute("create table " + table + " (id bigint primary key, email varchar(320) not null,"
                + " email_normalized varchar(320))");
        if (uniqueNewColumn) {
            execute("create unique index " + table + "_new on " + table + " (email_normalized)");
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into " + table + " (id, email, email_normalized)"
                     + " values (?, ?, ?)")) {
            for (long id = 1; id <= users; id++) {
                String email = seeded(id);
                ps.setLong(1, id);
                ps.setString(2, email);
                ps.setString(3, normalize(email));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static String seeded(long id) {
        return " User" + id + "@Example.COM";
    }

    static String normalize(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    /** The migration every instance runs; its breaker never judges, so the modern path stays in use. */
    Migration migration() {
        return Migration.builder("users-email").table(table).keyColumn("id").legacyColumn("email")
                .newColumn("email_normalized").transform(e -> normalize((String) e))
                .breaker(BreakerConfig.custom().minimumCalls(1_000_000).p95LatencyThreshold(Duration.ofSeconds(30)).build())
                .build();
    }

    /** Starts an instance whose modern implementation fails this share of its calls at random. */
    Instance start(String name, DoubleSupplier faultShare) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource);
        config.setPoolName(name);
        config.setMaximumPoolSize(6);
        config.setAutoCommit(true);
        HikariDataSource pool = new HikariDataSource(config);
        DataSourceTransactionRunner runner = new DataSourceTransactionRunner(pool);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Flagway flagway = Flagway.builder().client(flags.client()).meterRegistry(meters).migration(migration())
                .transactionRunner(runner).repairLog(RepairLog.named(repairTable)).badRowLog(BadRowLog.named(badRowTable))
                .build();
        Users users = DualWriteRepository.of(Users.class)
                .legacy(new JdbcUsers(runner.dataSource(), table, false, () -> 0))
                .modern(new JdbcUsers(runner.dataSource(), table, true, faultShare))
                .migration(flagway.migration("users-email")).wrap();
        Instance instance = new Instance(pool, flagway, meters, users);
        instances.add(instance);
        return instance;
    }

    /** The row's two columns, or null when it does not exist. */
    String[] row(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select email, email_normalized from " + table + " where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
            }
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        for (Instance instance : instances) {
            instance.flagway.close();
            instance.pool.close();
        }
        for (String t : List.of(table, repairTable, badRowTable)) {
            execute("drop table if exists " + t);
        }
    }

    /** One application instance. */
    record Instance(HikariDataSource pool, Flagway flagway, SimpleMeterRegistry meters, Users users) {
        MigrationRuntime runtime() {
            return flagway.migration("users-email");
        }

        double count(String name, String... tags) {
            return meters.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
        }
    }

    /** One column of the table through plain JDBC on the runner's data source; the modern one may fail at random. */
    private static final class JdbcUsers implements Users {
        private final DataSource dataSource;
        private final String table;
        private final boolean modern;
        private final DoubleSupplier faultShare;

        JdbcUsers(DataSource dataSource, String table, boolean modern, DoubleSupplier faultShare) {
            this.dataSource = dataSource;
            this.table = table;
            this.modern = modern;
            this.faultShare = faultShare;
        }

        @Override
        public String email(long id) {
            failAtRandom("read");
            String column = modern ? "email_normalized" : "email";
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("select " + column + " from " + table + " where id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? (modern ? rs.getString(1) : normalize(rs.getString(1))) : null;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        /** The modern write fails half of its faults before its statement and half after it, inside the savepoint. */
        @Override
        public void save(long id, String email) {
            boolean fault = ThreadLocalRandom.current().nextDouble() < faultShare.getAsDouble();
            if (fault && ThreadLocalRandom.current().nextBoolean()) {
                throw new IllegalStateException("injected fault before the modern write");
            }
            String column = modern ? "email_normalized" : "email";
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("update " + table + " set " + column + " = ? where id = ?")) {
                ps.setString(1, modern ? normalize(email) : email);
                ps.setLong(2, id);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            if (fault) {
                throw new IllegalStateException("injected fault after the modern write");
            }
        }

        private void failAtRandom(String what) {
            if (ThreadLocalRandom.current().nextDouble() < faultShare.getAsDouble()) {
                throw new IllegalStateException("injected fault in the modern " + what);
            }
        }
    }
}
