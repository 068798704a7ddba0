package dev.flagway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.Stage;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code contract} on PostgreSQL and MariaDB: a dry run shows the DDL and the gate (exit 5 while it
 * refuses), {@code --execute} needs an actor, gives up with the blocker named after its lock-timeout
 * retries (exit 6) while a transaction holds the table, and drops the legacy column, audited, once
 * the table is free.
 */
class ContractCliTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB"})
    void theLegacyColumnIsDroppedOnlyThroughTheGateAndALockTimeoutExitsSix(TestDatabase server) throws Exception {
        Cli cli = new Cli();
        try (Fixture f = new Fixture(server, dir, 20)) {
            Cli.Result dry = cli.run(f.args("contract", f.migration)).exits(5);
            assertThat(dry.out()).contains("dry run: contract " + f.migration + " would run:").containsIgnoringCase("drop")
                    .contains("unmet: the backfill never ran");
            assertThat(cli.run(f.args("contract", f.migration, "--execute")).exits(2).oneErrorLine())
                    .contains("--execute needs --actor");
            assertThat(cli.run(f.args("contract", f.migration, "--execute", "--actor", "dba")).exits(5).oneErrorLine())
                    .startsWith("flagway contract: contract of " + f.migration + " refused: ");

            cli.run(f.args("backfill", f.migration, "--execute")).exits(0);
            cli.run(f.args("verify", f.migration)).exits(0);
            f.flags.setStage(f.migration, Stage.SHADOW, "alice", "shadow");
            f.flags.setStage(f.migration, Stage.LIVE, "alice", "live");
            f.flags.setStage(f.migration, Stage.COMPLETE, "alice", "done");
            cli.run(f.args("contract", f.migration, "--business-cycle", "1ms")).exits(0);

            try (Connection blocker = f.dataSource.getConnection()) {
                long blockerId = sessionId(server, blocker);
                blocker.setAutoCommit(false);
                try (Statement s = blocker.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + f.table)) {
                    rs.next();
                }
                String line = cli.run(f.args("contract", f.migration, "--execute", "--actor", "dba", "--business-cycle",
                        "1ms", "--lock-timeout", "1s", "--max-attempts", "2")).exits(6).oneErrorLine();
                assertThat(line).startsWith("flagway contract: contract of " + f.migration + ": ")
                        .contains("gave up after 2 lock timeouts").contains("session " + blockerId);
                blocker.rollback();
            }
            assertThat(f.count("email IS NOT NULL")).isEqualTo(20);

            Cli.Result contracted = cli.run(f.args("contract", f.migration, "--execute", "--actor", "dba",
                    "--business-cycle", "1ms")).exits(0);
            assertThat(contracted.out()).contains("contract " + f.migration + ": dropped " + f.table + ".email");
            try (Connection c = f.dataSource.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + f.table + " WHERE id = 1")) {
                    rs.next();
                    assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
                }
            }
            assertThat(new JdbcAuditLog(f.dataSource).events(f.migration))
                    .anySatisfy(e -> {
                        assertThat(e.action()).isEqualTo("contract");
                        assertThat(e.actor()).isEqualTo("dba");
                    });
        }
    }

    private static long sessionId(TestDatabase server, Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                server == TestDatabase.POSTGRES ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
