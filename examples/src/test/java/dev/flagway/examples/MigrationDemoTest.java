package dev.flagway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole program, end to end, on each database: the promises its report makes must hold. */
class MigrationDemoTest {
    private static final String[] PROMISES = {
        "[kept] no failed request",
        "[kept] every read returned the user's last write",
        "[kept] no acknowledged write lost",
        "[kept] verification clean",
        "[kept] breaker tripped on the injected fault",
        "[kept] contract refused before the gate and allowed after",
        "[kept] no shadow mismatch after verification",
    };

    @Test
    void keepsEveryPromiseOnEmbeddedH2AndWritesTheComparisonAndTheHtmlReport(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("report.html");

        DemoRun run = DemoRun.of(DemoRun.shortWith("--compare-naive", "--report", report.toString()));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains(PROMISES).contains("All promises kept.").doesNotContain("BROKEN")
                .contains("=== The same traffic, naive migration of users_naive ===", "Side by side, the same traffic:");
        assertThat(run.err()).isEmpty();
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "Every promise kept", "naive migration")
                .contains("Flagway: what each phase does", "naive: what each phase does",
                        "The gate has opened and the legacy column is dropped")
                .doesNotContain("<script", "<link", "src=", "@import", "url(");
        assertThat(html.split("p95 latency, on the same scale for both runs", -1)).as("one latency scale, both runs")
                .hasSize(3);
    }

    /** On the servers the traffic goes through both instances, and 8% of the new column's calls fail at LIVE 50%. */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB"})
    void keepsEveryPromiseOnTheServerUnderAPartialFaultAndLeavesNoTableBehind(TestDatabase db) throws SQLException {
        TestDatabase.Endpoint endpoint = db.endpoint();
        String table = TestDatabase.uniqueName("demo");

        DemoRun run = DemoRun.of(DemoRun.shortWith("--jdbc-url", endpoint.url(), "--user", endpoint.user(),
                "--password", endpoint.password(), "--table", table, "--partial-fault", "8%"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains(PROMISES).contains("All promises kept.").doesNotContain("BROKEN")
                .contains("partial fault (8.0%) at LIVE 50%");
        assertThat(tablesNamedLike(db.dataSource(), table)).isZero();
    }

    private static int tablesNamedLike(DataSource dataSource, String table) throws SQLException {
        int count = 0;
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, "%" + table + "%", null)) {
            while (rs.next()) {
                count++;
            }
        }
        return count;
    }
}
