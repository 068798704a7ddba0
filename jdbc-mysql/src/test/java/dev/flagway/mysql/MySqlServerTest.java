package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class MySqlServerTest {
    private static final MySqlServer.Instrumentation PS_ON = new MySqlServer.Instrumentation(true, true, false, null);

    @Test
    void detectsTheLocalMariaDbAndItsCapabilities() throws Exception {
        try (Connection c = TestDatabase.MARIADB.dataSource().getConnection()) {
            MySqlServer server = MySqlServer.detect(c);

            assertThat(server.flavour()).isEqualTo(MySqlServer.Flavour.MARIADB);
            assertThat(server.atLeast(10, 6, 0)).isTrue();
            assertThat(server.supportsAlterWait()).isTrue();
            assertThat(server.supportsShowReplicaStatus()).isFalse();
            assertThat(server.replicaStatusStatement()).isEqualTo("SHOW ALL SLAVES STATUS");
            assertThat(server.rowLockWaitsVisible()).isTrue();
            assertThat(server.rebuildsFulltextTablesInPlace()).isTrue();
            assertThat(server.metadataLockSource()).isEqualTo(expectedSource(c));
        }
    }

    @Test
    void detectsMySql8AndItsCapabilities() throws Exception {
        try (Connection c = TestDatabase.MYSQL8.dataSource().getConnection()) {
            MySqlServer server = MySqlServer.detect(c);

            assertThat(server.flavour()).isEqualTo(MySqlServer.Flavour.MYSQL);
            assertThat(server.atLeast(8, 0, 0)).isTrue();
            assertThat(server.supportsAlterWait()).isFalse();
            assertThat(server.rebuildsFulltextTablesInPlace()).isFalse();
            assertThat(server.replicaStatusStatement()).isEqualTo(server.atLeast(8, 0, 22) ? "SHOW REPLICA STATUS"
                    : "SHOW SLAVE STATUS");
            assertThat(server.rowLockWaitsVisible()).isEqualTo(server.performanceSchema());
            assertThat(server.metadataLockSource()).isEqualTo(expectedSource(c));
        }
    }

    @Test
    void readsMySqlVersionsAndTheirCapabilities() {
        MySqlServer mysql = MySqlServer.parse("8.0.36", "MySQL Community Server - GPL");
        assertThat(mysql.flavour()).isEqualTo(MySqlServer.Flavour.MYSQL);
        assertThat(mysql.supportsInstantAddColumn()).isTrue();
        assertThat(mysql.supportsInstantDropColumn()).isTrue();
        assertThat(mysql.instantRowVersionLimit()).isEqualTo(64);
        assertThat(mysql.supportsShowReplicaStatus()).isTrue();
        assertThat(mysql.replicaStatusStatement()).isEqualTo("SHOW REPLICA STATUS");
        assertThat(mysql.supportsAlterWait()).isFalse();

        MySqlServer early = MySqlServer.parse("8.0.11", "MySQL Community Server - GPL");
        assertThat(early.supportsInstantAddColumn()).isFalse();
        assertThat(early.supportsInstantDropColumn()).isFalse();
        assertThat(early.instantRowVersionLimit()).isZero();
        assertThat(early.replicaStatusStatement()).isEqualTo("SHOW SLAVE STATUS");
        assertThat(MySqlServer.parse("10.11.19-MariaDB-0+deb12u1", "Debian 12").flavour())
                .isEqualTo(MySqlServer.Flavour.MARIADB);
    }

    @Test
    void mariaDbInstantColumnChangesFollowInnodbInstantAlterColumnAllowed() {
        MySqlServer mariadb = MySqlServer.parse("10.11.6-MariaDB", "mariadb.org binary distribution");
        MySqlServer.Instrumentation never = new MySqlServer.Instrumentation(false, false, false, "never");
        MySqlServer.Instrumentation addLast = new MySqlServer.Instrumentation(false, false, false, "add_last");
        MySqlServer.Instrumentation all = new MySqlServer.Instrumentation(false, false, false, "add_drop_reorder");

        assertThat(mariadb.with(never).supportsInstantAddColumn()).isFalse();
        assertThat(mariadb.with(addLast).supportsInstantAddColumn()).isTrue();
        assertThat(mariadb.with(addLast).supportsInstantDropColumn()).isFalse();
        assertThat(mariadb.with(all).supportsInstantDropColumn()).isTrue();
        assertThat(mariadb.instantRowVersionLimit()).isZero();
    }

    @Test
    void metadataLocksComeFromThePluginThenThePerformanceSchemaThenNowhere() {
        MySqlServer mariadb = MySqlServer.parse("10.11.6-MariaDB", null);
        MySqlServer mysql = MySqlServer.parse("8.0.36", "MySQL Community Server - GPL");

        assertThat(mariadb.with(new MySqlServer.Instrumentation(true, true, true, null)).metadataLockSource())
                .isEqualTo(MetadataLockSource.METADATA_LOCK_INFO);
        assertThat(mariadb.with(PS_ON).metadataLockSource()).isEqualTo(MetadataLockSource.PERFORMANCE_SCHEMA);
        assertThat(mariadb.with(new MySqlServer.Instrumentation(true, false, false, null)).metadataLockSource())
                .isEqualTo(MetadataLockSource.PROCESSLIST);
        assertThat(mysql.with(PS_ON).metadataLockSource()).isEqualTo(MetadataLockSource.PERFORMANCE_SCHEMA);
        assertThat(mysql.metadataLockSource()).isEqualTo(MetadataLockSource.PROCESSLIST);
        assertThat(MetadataLockSource.PROCESSLIST.limitation()).startsWith("Metadata-lock holders cannot be listed");
        assertThat(MetadataLockSource.PERFORMANCE_SCHEMA.limitation()).isEmpty();
    }

    @Test
    void mysqlShowsRowLockWaitsOnlyWithThePerformanceSchema() {
        MySqlServer mysql = MySqlServer.parse("8.0.36", "MySQL Community Server - GPL");

        assertThat(mysql.rowLockWaitsVisible()).isFalse();
        assertThat(mysql.with(PS_ON).rowLockWaitsVisible()).isTrue();
        assertThat(MySqlServer.parse("10.6.1-MariaDB", null).rowLockWaitsVisible()).isTrue();
    }

    @Test
    void tooOldOrUnreadableServersAreRefusedNamingTheMinimums() {
        assertThatThrownBy(() -> MySqlServer.parse("5.7.44", "MySQL Community Server"))
                .isInstanceOf(UnsupportedServerException.class)
                .hasMessage("MySQL 5.7.44 is too old; Flagway needs MySQL 8.0+ or MariaDB 10.6+");
        assertThatThrownBy(() -> MySqlServer.parse("10.5.2-MariaDB", null))
                .hasMessage("MariaDB 10.5.2 is too old; Flagway needs MySQL 8.0+ or MariaDB 10.6+");
        assertThatThrownBy(() -> MySqlServer.parse("banana", ""))
                .hasMessage("cannot read the server version from 'banana'; Flagway needs MySQL 8.0+ or MariaDB 10.6+");
    }

    /** What this server should offer, read independently of the detection under test. */
    private static MetadataLockSource expectedSource(Connection c) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM information_schema.PLUGINS"
                     + " WHERE PLUGIN_NAME = 'METADATA_LOCK_INFO' AND PLUGIN_STATUS = 'ACTIVE'), @@performance_schema"
                     + " AND (SELECT COUNT(*) FROM performance_schema.setup_instruments"
                     + " WHERE NAME = 'wait/lock/metadata/sql/mdl' AND ENABLED = 'YES') > 0")) {
            rs.next();
            if (rs.getInt(1) > 0) {
                return MetadataLockSource.METADATA_LOCK_INFO;
            }
            return rs.getInt(2) > 0 ? MetadataLockSource.PERFORMANCE_SCHEMA : MetadataLockSource.PROCESSLIST;
        }
    }
}
