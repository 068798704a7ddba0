package dev.flagway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class TestDatabaseTest {

    @Test
    void h2GivesAFreshWorkingDatabaseEachTime() throws Exception {
        try (Connection a = TestDatabase.H2.dataSource().getConnection();
             Connection b = TestDatabase.H2.dataSource().getConnection();
             Statement sa = a.createStatement();
             Statement sb = b.createStatement()) {
            sa.execute("create table t (id int)");
            try (ResultSet rs = sb.executeQuery(
                    "select count(*) from information_schema.tables where table_name = 'T'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void unreachableServerIsReportedWithItsUrl() {
        System.setProperty("FLAGWAY_MYSQL_URL", "jdbc:mariadb://127.0.0.1:1/flagway_test");
        try {
            TestDatabase.Endpoint endpoint = TestDatabase.resolve(TestDatabase.MARIADB);
            if (Containers.dockerAvailable()) {
                assertThat(endpoint.url()).isNotEqualTo("jdbc:mariadb://127.0.0.1:1/flagway_test");
                return;
            }
            assertThatThrownBy(() -> TestDatabase.requireReachable(endpoint, true))
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("MARIADB is unreachable at jdbc:mariadb://127.0.0.1:1/flagway_test");
            assertThatThrownBy(() -> TestDatabase.requireReachable(endpoint, false))
                    .isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("FLAGWAY_REQUIRE_DB");
        } finally {
            System.clearProperty("FLAGWAY_MYSQL_URL");
        }
    }

    @Test
    void uniqueNamesArePlainIdentifiersThatDiffer() {
        String a = TestDatabase.uniqueName("users");
        String b = TestDatabase.uniqueName("users");
        assertThat(a).matches("users_[a-z0-9]+").isNotEqualTo(b);
    }
}
