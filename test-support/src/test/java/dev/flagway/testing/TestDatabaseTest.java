package dev.flagway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
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
    void unreachableServerIsReportedWithItsUrlOnTheConsoleOncePerDatabase() {
        System.setProperty("FLAGWAY_MYSQL_URL", "jdbc:mariadb://127.0.0.1:1/flagway_test");
        try {
            TestDatabase.Endpoint endpoint = TestDatabase.resolve(TestDatabase.MARIADB);
            if (Containers.dockerAvailable()) {
                assertThat(endpoint.url()).isNotEqualTo("jdbc:mariadb://127.0.0.1:1/flagway_test");
                return;
            }
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            Console console = new Console(new PrintStream(printed, true, StandardCharsets.UTF_8));

            assertThatThrownBy(() -> TestDatabase.requireReachable(TestDatabase.MARIADB, endpoint, true, console))
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("MARIADB is unreachable at jdbc:mariadb://127.0.0.1:1/flagway_test");
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> TestDatabase.requireReachable(TestDatabase.MARIADB, endpoint, false, console))
                        .isInstanceOf(TestAbortedException.class)
                        .hasMessageContaining("FLAGWAY_REQUIRE_DB");
            }

            assertThat(printed.toString(StandardCharsets.UTF_8).lines()).singleElement().asString()
                    .startsWith("[WARNING] Flagway: MARIADB tests are skipped: MARIADB is unreachable at "
                            + "jdbc:mariadb://127.0.0.1:1/flagway_test");
            assertThat(console.summary()).startsWith("database tests skipped in this test run: MARIADB (2 tests)");
        } finally {
            System.clearProperty("FLAGWAY_MYSQL_URL");
        }
    }

    @Test
    void mysql8IsReachedThroughConnectorJWithThePerformanceSchemaOn() throws Exception {
        try (Connection c = TestDatabase.MYSQL8.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT VERSION(), @@performance_schema, DATABASE()")) {
            rs.next();
            assertThat(c.getMetaData().getDriverName()).startsWith("MySQL Connector/J");
            assertThat(rs.getString(1)).startsWith("8.");
            assertThat(rs.getInt(2)).isEqualTo(1);
            if (System.getenv("FLAGWAY_MYSQL8_URL") == null && EmbeddedMySql.supported()) {
                assertThat(rs.getString(1)).isEqualTo(EmbeddedMySql.VERSION);
                assertThat(rs.getString(3)).isEqualTo(TestDatabase.DEFAULT_DATABASE);
            }
        }
    }

    @Test
    void aDatabaseMissingOnAServerThatAnswersIsCreated() throws Exception {
        TestDatabase.Endpoint server = TestDatabase.MYSQL8.endpoint();
        String name = TestDatabase.uniqueName("flagway_created");
        TestDatabase.Endpoint missing = TestDatabase.Endpoint.of(
                server.url().replaceFirst("/[A-Za-z0-9_]+(\\?|$)", "/" + name + "$1"), server.user(), server.password());
        assertThat(missing.url()).contains("/" + name);

        try {
            assertThat(TestDatabase.reach(TestDatabase.MYSQL8, missing)).isNull();
            try (Connection c = TestDatabase.connect(TestDatabase.MYSQL8, missing); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(name);
            }
        } finally {
            try (Connection c = TestDatabase.MYSQL8.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS `" + name + "`");
            }
        }
    }

    @Test
    void onlyAServerSayingTheDatabaseIsMissingCountsAsMissing() {
        assertThat(MissingDatabase.is(TestDatabase.POSTGRES, new SQLException("database \"x\" does not exist", "3D000")))
                .isTrue();
        assertThat(MissingDatabase.is(TestDatabase.MARIADB, new SQLException("Unknown database 'x'", "42000", 1049)))
                .isTrue();
        assertThat(MissingDatabase.is(TestDatabase.MYSQL8, new SQLException("wrapped",
                new SQLException("Unknown database 'x'", "42000", 1049)))).isTrue();
        assertThat(MissingDatabase.is(TestDatabase.MARIADB, new SQLException("Access denied", "28000", 1045))).isFalse();
        assertThat(MissingDatabase.is(TestDatabase.POSTGRES, new SQLException("Connection refused", "08001"))).isFalse();
        assertThatThrownBy(() -> MissingDatabase.create(TestDatabase.MARIADB,
                TestDatabase.Endpoint.of("jdbc:mariadb://127.0.0.1:1/bad-name", "root", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the URL names no plain database name to create");
    }

    @Test
    void aMysql8UrlOfAnotherDriverIsRefusedWithTheReason() {
        System.setProperty("FLAGWAY_MYSQL8_URL", "jdbc:mariadb://127.0.0.1:3306/flagway_test");
        try {
            assertThatThrownBy(() -> TestDatabase.requireReachable(TestDatabase.MYSQL8,
                    TestDatabase.resolve(TestDatabase.MYSQL8), true, Console.BUILD))
                    .hasMessage("FLAGWAY_MYSQL8_URL must be a jdbc:mysql: URL (the MySQL 8 tests run through MySQL "
                            + "Connector/J), but was jdbc:mariadb://127.0.0.1:3306/flagway_test");
        } finally {
            System.clearProperty("FLAGWAY_MYSQL8_URL");
        }
    }

    @Test
    void uniqueNamesArePlainIdentifiersThatDiffer() {
        String a = TestDatabase.uniqueName("users");
        String b = TestDatabase.uniqueName("users");
        assertThat(a).matches("users_[a-z0-9]+").isNotEqualTo(b);
    }
}
