package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Each server gets the diagnostic queries of its own tables; those MariaDB can parse are run against it. */
class MySqlLockDiagnosticsQueriesTest {
    private static final MySqlServer MYSQL = MySqlServer.parse("8.0.36", "MySQL Community Server - GPL");
    private static final MySqlServer MARIADB = MySqlServer.parse("10.11.6-MariaDB", null);
    private static final MySqlServer.Instrumentation PS_ON = new MySqlServer.Instrumentation(true, true, false, null);

    @Test
    void mysql8ReadsRowLockWaitsAndMetadataLocksFromThePerformanceSchema() {
        MySqlLockDiagnostics diagnostics = new MySqlLockDiagnostics(MYSQL.with(PS_ON));

        assertThat(diagnostics.rowWaitQuery()).contains("FROM performance_schema.data_lock_waits w")
                .contains("JOIN information_schema.INNODB_TRX b ON b.trx_id = w.BLOCKING_ENGINE_TRANSACTION_ID");
        assertThat(diagnostics.metadataLockQuery()).isEqualTo(MySqlLockDiagnostics.PERFORMANCE_SCHEMA_LOCKS);
        assertThat(diagnostics.processQuery()).contains(MySqlLockDiagnostics.MYSQL_STATEMENT_IN_STATE)
                .contains("user_variables_by_thread").contains("events_statements_current");
    }

    @Test
    void mysql8WithoutThePerformanceSchemaListsWaitingTransactionsOnly() {
        MySqlLockDiagnostics diagnostics = new MySqlLockDiagnostics(MYSQL);

        assertThat(diagnostics.rowWaitQuery()).isEqualTo(MySqlLockDiagnostics.MYSQL_ROW_WAITERS);
        assertThat(diagnostics.metadataLockQuery()).isNull();
        assertThat(diagnostics.processQuery()).doesNotContain("performance_schema");
    }

    @Test
    void mariaDbReadsRowLockWaitsFromTheInformationSchemaAndMetadataLocksFromThePluginWhenLoaded() {
        MySqlLockDiagnostics plugin = new MySqlLockDiagnostics(
                MARIADB.with(new MySqlServer.Instrumentation(false, false, true, null)));

        assertThat(plugin.rowWaitQuery()).isEqualTo(MySqlLockDiagnostics.MARIADB_ROW_WAITS);
        assertThat(plugin.metadataLockQuery()).isEqualTo(MySqlLockDiagnostics.METADATA_LOCK_INFO_LOCKS);
        assertThat(plugin.processQuery()).contains("p.TIME_MS");
        assertThat(new MySqlLockDiagnostics(MARIADB).metadataLockQuery()).isNull();
    }

    @Test
    void thePerformanceSchemaQueriesRunOnMariaDb() throws Exception {
        MySqlLockDiagnostics diagnostics = new MySqlLockDiagnostics(MARIADB.with(PS_ON));
        try (Connection c = TestDatabase.MARIADB.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String sql : new String[] {diagnostics.metadataLockQuery(), diagnostics.processQuery()}) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    assertThat(rs.getMetaData().getColumnCount()).isGreaterThanOrEqualTo(5);
                }
            }
        }
    }
}
