package dev.flagway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input gets one clear line on stderr and the documented exit code, and the password is never
 * printed: no database, unknown migration, wrong credentials, a server that is down, malformed
 * properties, bad options; and the connection's fallbacks (environment, properties file) work.
 */
class BadInputCliTest {
    private static final String SECRET = "s3cret-Pa55word";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MYSQL8"})
    void anUnknownMigrationIsAUsageErrorNamingTheKnownOnesAndSoIsAVerifyParallelismBelowOne(TestDatabase server)
            throws Exception {
        try (Fixture f = new Fixture(server, dir, 1)) {
            for (String command : new String[] {"status", "gate", "verify", "backfill"}) {
                String line = new Cli().run(f.args(command, "nope")).exits(2).oneErrorLine();
                assertThat(line).isEqualTo("flagway " + command + ": unknown migration 'nope': known migrations: "
                        + f.migration);
            }
            assertThat(new Cli().run(f.args("verify", f.migration, "--parallelism", "0")).exits(2).oneErrorLine())
                    .isEqualTo("flagway verify: verify parallelism must be at least 1 but was 0");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MYSQL8"})
    void refusedCredentialsAreOneLineWithoutThePassword(TestDatabase server) {
        TestDatabase.Endpoint e = server.endpoint();
        // PostgreSQL here trusts every password of an existing role: a role that does not exist is refused
        String user = server == TestDatabase.POSTGRES ? "flagway_no_such_role" : e.user();
        Cli.Result r = new Cli().run("status", "--jdbc-url", e.url().replaceAll("[?&]user=[^&]*", ""), "--user", user,
                "--password", SECRET);
        String line = r.exits(2).oneErrorLine();
        assertThat(line).startsWith("flagway status: cannot connect to ").contains(" as " + user + ": ");
        assertThat(r.out() + r.err()).doesNotContain(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://127.0.0.1:%d/app?password=" + SECRET,
            "jdbc:mariadb://127.0.0.1:%d/app?password=" + SECRET, "jdbc:mysql://127.0.0.1:%d/app?password=" + SECRET})
    void aServerThatIsDownIsOneLineWithoutThePassword(String urlPattern) throws IOException {
        String url = String.format(urlPattern, closedPort());
        Cli.Result r = new Cli().env("FLAGWAY_JDBC_URL", url).env("FLAGWAY_USER", "app").run("locks");
        String line = r.exits(2).oneErrorLine();
        assertThat(line).startsWith("flagway locks: cannot connect to jdbc:").contains("password=****");
        assertThat(r.out() + r.err()).doesNotContain(SECRET);
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MYSQL8"})
    void flagsKeptOutsideTheProviderTablesLeaveTheGateUnknownNotCrashed(TestDatabase server) throws Exception {
        try (Fixture f = new Fixture(server, dir, 1)) {
            java.nio.file.Files.writeString(f.config, "flagway.provider.table-prefix=nothere_\n",
                    java.nio.file.StandardOpenOption.APPEND);
            String line = new Cli().run(f.args("gate", f.migration)).exits(2).oneErrorLine();
            assertThat(line).startsWith("flagway gate: the history of flag '" + f.migration + "' cannot be read from"
                    + " nothere_flags and nothere_flag_audit");
            Object status = JsonDoc.parse(new Cli().run(f.args("status", f.migration, "--format", "json")).exits(0).out());
            assertThat(JsonDoc.at(status, "flag.present")).isEqualTo(false);
            assertThat((String) JsonDoc.at(status, "flag.error")).contains("nothere_flags cannot be read");
            assertThat((String) JsonDoc.at(status, "gate.error")).contains("cannot be read");
        }
    }

    @Test
    void noDatabaseAndAnUnsupportedUrlAreUsageErrors() {
        assertThat(new Cli().run("status").exits(2).oneErrorLine()).isEqualTo(
                "flagway status: no database given: pass --jdbc-url, set FLAGWAY_JDBC_URL, or give"
                        + " spring.datasource.url in the --config file");
        assertThat(new Cli().run("locks", "--jdbc-url", "jdbc:oracle:thin:@db:1521/app").exits(2).oneErrorLine())
                .contains("no JDBC driver for this URL: use jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb:");
    }

    @Test
    void malformedPropertiesAreOneLineNamingTheFileAndTheKey() {
        Path badEscape = Cli.properties(dir, "escape.properties", "flagway.migrations.m.table=users\\uZZZZ");
        assertThat(new Cli().run("status", "--config", badEscape.toString(), "--jdbc-url", "jdbc:postgresql://x/y")
                .exits(2).oneErrorLine()).contains("is not a valid properties file").contains("escape.properties");

        Path badValue = Cli.properties(dir, "value.properties",
                "flagway.migrations.m.table=users", "flagway.migrations.m.key-column=id",
                "flagway.migrations.m.legacy-column=email", "flagway.migrations.m.new-column=email_new",
                "flagway.migrations.m.breaker.error-rate-threshold=abc", "flagway.migrations.m.tabel=users");
        String line = new Cli().run("gate", "m", "--config", badValue.toString(), "--jdbc-url", "jdbc:postgresql://x/y")
                .exits(2).oneErrorLine();
        assertThat(line).contains("value.properties is invalid")
                .contains("flagway.migrations.m.breaker.error-rate-threshold = 'abc'")
                .contains("flagway.migrations.m.tabel");

        assertThat(new Cli().run("status", "--config", dir.resolve("missing.properties").toString()).exits(2)
                .oneErrorLine()).contains("missing.properties does not exist");
    }

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        assertThat(new Cli().run("status", "--frobnicate").exits(2).oneErrorLine())
                .startsWith("flagway status: Unknown option: '--frobnicate'");
        assertThat(new Cli().run("kill", "123", "--reason", "blocks the deploy").exits(2).oneErrorLine())
                .contains("--actor");
        assertThat(new Cli().run("gate", "m", "--business-cycle", "soon").exits(2).oneErrorLine())
                .contains("--business-cycle");
        assertThat(new Cli().run("frobnicate").exits(2).oneErrorLine()).contains("frobnicate");
        assertThat(new Cli().run().exits(2).oneErrorLine()).contains("name a command");
        Cli.Result typo = new Cli().run("status", "--pasword", SECRET, "--password", SECRET).exits(2);
        assertThat(typo.oneErrorLine()).contains("--pasword").doesNotContain(SECRET);
    }

    @Test
    void helpListsTheExitCodesAndVerboseAddsTheStackTrace() {
        Cli.Result help = new Cli().run("--help").exits(0);
        assertThat(help.out()).contains("Exit codes:").contains("3  unsafe DDL").contains("4  verification found")
                .contains("5  the contract gate refused").contains("6  lock-timeout retries exhausted")
                .contains("7  another runner holds the migration").contains("8  illegal lifecycle move")
                .contains("FLAGWAY_JDBC_URL");
        assertThat(new Cli().run("--version").exits(0).out()).startsWith("flagway ");

        Cli.Result verbose = new Cli().run("--verbose", "locks", "--jdbc-url", "jdbc:oracle:thin:@db:1521/app").exits(2);
        assertThat(verbose.err().lines().count()).isGreaterThan(1);
        assertThat(verbose.err()).contains("java.sql.SQLException");
    }

    @Test
    void theConnectionComesFromTheEnvironmentOrTheApplicationsDataSourceProperties() throws Exception {
        TestDatabase server = TestDatabase.MARIADB;
        try (Fixture f = new Fixture(server, dir, 3)) {
            TestDatabase.Endpoint e = server.endpoint();
            new Cli().env("FLAGWAY_JDBC_URL", e.url()).env("FLAGWAY_USER", e.user())
                    .env("FLAGWAY_PASSWORD", e.password())
                    .run("status", f.migration, "--config", f.config.toString()).exits(0);

            Path spring = Cli.properties(dir, "application.properties",
                    "spring.datasource.url=" + e.url(), "spring.datasource.username=" + e.user(),
                    "spring.datasource.password=" + e.password(),
                    "flagway.migrations." + f.migration + ".table=" + f.table,
                    "flagway.migrations." + f.migration + ".key-column=id",
                    "flagway.migrations." + f.migration + ".legacy-column=email",
                    "flagway.migrations." + f.migration + ".new-column=email_new");
            assertThat(new Cli().run("status", f.migration, "--config", spring.toString()).exits(0).out())
                    .contains("backfill      never ran");
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
