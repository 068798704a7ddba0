package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flagway.dialect.ConnectionFailures;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.LintRule;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.schema.UnsafeOperationException;
import dev.flagway.testing.TestDatabase;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MySqlDialectTest {

    @Test
    void lockWaitTimeoutsAndDeadlocksAreRetriedLostConnectionsReconnected() {
        MySqlDialect dialect = MySqlDialect.detect(TestDatabase.MARIADB.dataSource());

        assertThat(dialect.isLockTimeout(new SQLException("Lock wait timeout exceeded", "HY000", 1205))).isTrue();
        assertThat(dialect.isLockTimeout(new SQLException("Deadlock found", "40001", 1213))).isTrue();
        assertThat(dialect.isLockTimeout(new SQLException("ALGORITHM=INSTANT is not supported", "0A000", 1845))).isFalse();
        assertThat(dialect.isConnectionFailure(new SQLException("Connection was killed", "70100", 1927))).isTrue();
        assertThat(dialect.isConnectionFailure(new SQLException("Lost connection", "HY000", 2013))).isTrue();
        assertThat(dialect.isConnectionFailure(new SQLNonTransientConnectionException("Socket error", "08000"))).isTrue();
        assertThat(dialect.isConnectionFailure(new SQLException("Duplicate entry", "23000", 1062))).isFalse();
        assertThat(dialect.isConnectionFailure(new SQLException("Server shutdown in progress", "08S01", 1053))).isTrue();
        assertThat(dialect.isConnectionFailure(new SQLException("MySQL server has gone away", "HY000", 2006))).isTrue();
        assertThat(dialect.isConnectionFailure(new SQLException("Disconnected by the server", "HY000", 4031))).isTrue();
        BatchUpdateException batch = new BatchUpdateException("batch failed", null, 0, new int[0]);
        batch.initCause(new SQLException("Connection was killed", "70100", 1927));
        assertThat(ConnectionFailures.isLost(new DataAccessException("SQL [update ...]", batch), dialect)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void identifiesItselfByTheDetectedServer(Server server) {
        DataSource ds = server.dataSource();
        MySqlDialect dialect = MySqlDialect.detect(ds);
        boolean mariadb = server == Server.MARIADB;

        assertThat(dialect.name()).isEqualTo(mariadb ? "mariadb" : "mysql");
        assertThat(dialect.sqlDialect()).isEqualTo(mariadb ? SQLDialect.MARIADB : SQLDialect.MYSQL);
        assertThat(dialect.toString()).startsWith(mariadb ? "MySqlDialect{MariaDB 10." : "MySqlDialect{MySQL 8.");
        assertThat(dialect.defaultHealthSignals(ds)).hasSize(1);
        assertThat(MySqlDialect.builder(ds).replicas(List.of(ds)).build().defaultHealthSignals(ds)).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void estimatesRowsWithoutCountingAndLabelsSessions(Server server) throws Exception {
        DataSource ds = server.dataSource();
        String table = Sql.table("estimate");
        Sql.exec(ds, "CREATE TABLE `" + table + "` (id INT PRIMARY KEY)",
                "INSERT INTO `" + table + "` SELECT d1.n * 10 + d2.n FROM " + MetadataLockQueueTest.digits("d1")
                        + " CROSS JOIN " + MetadataLockQueueTest.digits("d2"), "ANALYZE TABLE `" + table + "`");
        try (Connection c = ds.getConnection()) {
            MySqlDialect dialect = MySqlDialect.detect(ds);

            assertThat(dialect.estimateRows(c, DSL.name(table))).isBetween(50L, 200L);
            dialect.tagSession(c, "flagway-backfill:users-email");
            assertThat(Sql.queryLong(c, "SELECT @flagway_session = 'flagway-backfill:users-email'")).isEqualTo(1);
        } finally {
            Sql.drop(ds, table);
        }
    }

    /**
     * A killed session is a lost connection through either driver (MariaDB: 08000 socket errors;
     * Connector/J: 08S01 communications failures, then 08003), whether it was running or idle.
     */
    @ParameterizedTest
    @EnumSource(Server.class)
    void aKilledSessionIsALostConnectionThroughEitherDriver(Server server) throws Exception {
        DataSource ds = server.dataSource();
        MySqlDialect dialect = MySqlDialect.detect(ds);
        try (Session running = Session.open(ds); Connection idle = ds.getConnection(); Connection admin = ds.getConnection()) {
            CompletableFuture<Void> sleeping = running.execAsync("SELECT SLEEP(30)");
            Session.await(Duration.ofSeconds(10), () -> Sql.queryLong(admin, "SELECT COUNT(*) FROM"
                    + " information_schema.PROCESSLIST WHERE ID = " + running.id() + " AND INFO LIKE 'SELECT SLEEP%'") == 1);
            long idleId = Sql.connectionId(idle);
            Sql.exec(admin, "KILL CONNECTION " + running.id(), "KILL CONNECTION " + idleId);

            SQLException killed = sqlException(catchThrowable(() -> sleeping.get(10, TimeUnit.SECONDS)));
            assertThat(dialect.isConnectionFailure(killed)).as("%s (%s, %d)", killed, killed.getSQLState(),
                    killed.getErrorCode()).isTrue();
            SQLException next = catchThrowableOfType(SQLException.class, () -> Sql.queryLong(idle, "SELECT 1"));
            assertThat(dialect.isConnectionFailure(next)).as("%s (%s, %d)", next, next.getSQLState(),
                    next.getErrorCode()).isTrue();
            assertThat(dialect.isLockTimeout(next)).isFalse();
        }
    }

    private static SQLException sqlException(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        throw new AssertionError("no SQLException in " + thrown, thrown);
    }

    @Test
    void theSharedLinterRefusesTypeChangesAndNotNullWithoutDefaultBeforePlanning() {
        DataSource ds = TestDatabase.MARIADB.dataSource();
        SchemaExecutor ddl = new SchemaExecutor(ds, MySqlDialect.detect(ds), DdlSettings.ofDefaults());

        assertThatThrownBy(() -> ddl.apply(List.of(
                SchemaOperation.changeColumnType("users", "email", SQLDataType.VARCHAR(500)),
                SchemaOperation.addColumn("users", "email_normalized", SQLDataType.VARCHAR(320).nullable(false)))))
                .isInstanceOfSatisfying(UnsafeOperationException.class, e -> assertThat(e.findings())
                        .extracting(f -> f.rule())
                        .containsExactly(LintRule.TYPE_CHANGE_IN_PLACE, LintRule.NOT_NULL_WITHOUT_CHECK));
    }

    @Test
    void settingsRefuseBadValuesNamingThem() {
        assertThatThrownBy(() -> MySqlSettings.custom().lockWaitTimeout(Duration.ZERO))
                .hasMessage("mysql lock-wait-timeout must be positive but was 0ms");
        assertThatThrownBy(() -> MySqlSettings.custom().allowBlockingDdl(" "))
                .hasMessage("mysql allow-blocking-ddl needs a reason, but was ' '");
        assertThatThrownBy(() -> MySqlSettings.custom().threadsRunningThrottle(80).build())
                .hasMessage("mysql threads-running-throttle (80) must not exceed threads-running-critical (64)");
        assertThatThrownBy(() -> MySqlSettings.custom().replicaLagThrottle(Duration.ofMinutes(1)).build())
                .hasMessage("mysql replica-lag-throttle (1m) must not exceed replica-lag-critical (30s)");
        assertThat(MySqlSettings.ofDefaults().toString()).isEqualTo("MySqlSettings{lock-wait-timeout=2s, "
                + "blocking-ddl=refused, threads-running=32/64, replica-lag=5s/30s}");
    }
}
