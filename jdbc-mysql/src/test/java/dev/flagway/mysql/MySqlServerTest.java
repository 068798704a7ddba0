package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

class MySqlServerTest {

    @Test
    void detectsTheLocalMariaDbAndItsCapabilities() throws Exception {
        try (Connection c = TestDatabase.MARIADB.dataSource().getConnection()) {
            MySqlServer server = MySqlServer.detect(c);

            assertThat(server.flavour()).isEqualTo(MySqlServer.Flavour.MARIADB);
            assertThat(server.atLeast(10, 6, 0)).isTrue();
            assertThat(server.supportsAlterWait()).isTrue();
            assertThat(server.supportsShowReplicaStatus()).isFalse();
        }
    }

    @Test
    void readsMySqlVersionsAndTheirCapabilities() {
        MySqlServer mysql = MySqlServer.parse("8.0.36", "MySQL Community Server - GPL");
        assertThat(mysql.flavour()).isEqualTo(MySqlServer.Flavour.MYSQL);
        assertThat(mysql.supportsInstantAddColumn()).isTrue();
        assertThat(mysql.supportsShowReplicaStatus()).isTrue();
        assertThat(mysql.supportsAlterWait()).isFalse();
        assertThat(MySqlServer.parse("8.0.11", "MySQL Community Server - GPL").supportsInstantAddColumn()).isFalse();
        assertThat(MySqlServer.parse("10.11.19-MariaDB-0+deb12u1", "Debian 12").flavour())
                .isEqualTo(MySqlServer.Flavour.MARIADB);
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
}
