package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;

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

    @Test
    void identifiesItselfByTheDetectedServer() {
        MySqlDialect dialect = MySqlDialect.detect(TestDatabase.MARIADB.dataSource());

        assertThat(dialect.name()).isEqualTo("mariadb");
        assertThat(dialect.sqlDialect()).isEqualTo(SQLDialect.MARIADB);
        assertThat(dialect.toString()).startsWith("MySqlDialect{MariaDB 10.");
        assertThat(dialect.defaultHealthSignals(TestDatabase.MARIADB.dataSource())).hasSize(1);
        assertThat(MySqlDialect.builder(TestDatabase.MARIADB.dataSource())
                .replicas(List.of(TestDatabase.MARIADB.dataSource())).build()
                .defaultHealthSignals(TestDatabase.MARIADB.dataSource())).hasSize(2);
    }

    @Test
    void estimatesRowsWithoutCountingAndLabelsSessions() throws Exception {
        DataSource ds = TestDatabase.MARIADB.dataSource();
        String table = Sql.table("estimate");
        Sql.exec(ds, "CREATE TABLE `" + table + "` (id INT PRIMARY KEY)",
                "INSERT INTO `" + table + "` SELECT d1.n * 10 + d2.n FROM " + MetadataLockQueueTest.digits("d1")
                        + " CROSS JOIN " + MetadataLockQueueTest.digits("d2"));
        try (Connection c = ds.getConnection()) {
            MySqlDialect dialect = MySqlDialect.detect(ds);

            assertThat(dialect.estimateRows(c, DSL.name(table))).isBetween(50L, 200L);
            dialect.tagSession(c, "flagway-backfill:users-email");
            assertThat(Sql.queryLong(c, "SELECT @flagway_session = 'flagway-backfill:users-email'")).isEqualTo(1);
        } finally {
            Sql.drop(ds, table);
        }
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
        assertThatThrownBy(() -> MySqlSettings.builder().lockWaitTimeout(Duration.ZERO))
                .hasMessage("mysql lock-wait-timeout must be positive but was 0ms");
        assertThatThrownBy(() -> MySqlSettings.builder().allowBlockingDdl(" "))
                .hasMessage("mysql allow-blocking-ddl needs a reason, but was ' '");
        assertThatThrownBy(() -> MySqlSettings.builder().threadsRunningThrottle(80).build())
                .hasMessage("mysql threads-running-throttle (80) must not exceed threads-running-critical (64)");
        assertThatThrownBy(() -> MySqlSettings.builder().replicaLagThrottle(Duration.ofMinutes(1)).build())
                .hasMessage("mysql replica-lag-throttle (1m) must not exceed replica-lag-critical (30s)");
        assertThat(MySqlSettings.ofDefaults().toString()).isEqualTo("MySqlSettings{lock-wait-timeout=2s, "
                + "blocking-ddl=refused, threads-running=32/64, replica-lag=5s/30s}");
    }
}
