package dev.flagway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gives one clear line on stderr (libraries' logs included) and exit code 2, never a stack trace. */
class BadInputTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--frobnicate                        | unknown option '--frobnicate'; usage: MigrationDemo",
        "--users                             | --users needs a value",
        "--users lots                        | --users needs a whole number from 100 to 10,000,000, not 'lots'",
        "--phase-time 3                      | --phase-time needs a duration of at least 100ms such as 500ms or 3s, not '3'",
        "--table Users;drop                  | --table needs a lower-case SQL name",
        "--report out.txt                    | --report needs a file name ending in .html, not 'out.txt'",
        "--phase-time 3s --business-cycle 5s | --business-cycle must be at least twice --phase-time and a second (7s)",
        "--partial-fault 60%                 | --partial-fault needs a share above 0 and at most 50%, such as 5% or 0.05, not '60%'",
        "--partial-fault five                | --partial-fault needs a share above 0 and at most 50%",
        "--user bob                          | --user and --password need --jdbc-url",
        "--jdbc-url jdbc:oracle:thin:@x:1:y  | --jdbc-url must be a jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql: or jdbc:h2: URL",
    })
    void badCommandLine(String args, String message) {
        assertOneLine(DemoRun.withProcessStderr(args.trim().split(" +")), message);
    }

    @Test
    void unreachablePostgreSql() {
        assertOneLine(DemoRun.withProcessStderr("--jdbc-url", "jdbc:postgresql://127.0.0.1:1/flagway_test", "--user", "postgres"),
                "cannot connect to jdbc:postgresql://127.0.0.1:1/flagway_test as 'postgres': Connection refused");
    }

    @Test
    void unreachableMariaDb() {
        assertOneLine(DemoRun.withProcessStderr("--jdbc-url", "jdbc:mariadb://127.0.0.1:1/flagway_test", "--user", "root"),
                "cannot connect to jdbc:mariadb://127.0.0.1:1/flagway_test as 'root': ");
    }

    @Test
    void wrongPasswordOnH2() throws SQLException {
        String url = "jdbc:h2:mem:" + TestDatabase.uniqueName("locked") + ";DB_CLOSE_DELAY=-1";
        try (Connection owner = DriverManager.getConnection(url, "owner", "right-password")) {
            assertOneLine(DemoRun.withProcessStderr("--jdbc-url", url, "--user", "owner", "--password", "wrong-password"),
                    "cannot connect to " + url + " as 'owner': Wrong user name or password");
        }
    }

    @Test
    void wrongPasswordOnMariaDb() {
        TestDatabase.Endpoint endpoint = TestDatabase.MARIADB.endpoint();

        assertOneLine(DemoRun.withProcessStderr("--jdbc-url", endpoint.url(), "--user", endpoint.user(), "--password", "wrong-password"),
                "cannot connect to " + endpoint.url() + " as '" + endpoint.user() + "': Access denied for user");
    }

    private static void assertOneLine(DemoRun run, String expected) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("flagway demo: " + expected).hasLineCount(1)
                .doesNotContain("Exception", "\tat ");
    }
}
