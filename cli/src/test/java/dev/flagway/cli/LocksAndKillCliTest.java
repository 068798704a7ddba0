package dev.flagway.cli;

import static dev.flagway.cli.JsonDoc.at;
import static dev.flagway.cli.JsonDoc.list;
import static dev.flagway.cli.JsonDoc.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.dialect.Dialect;
import dev.flagway.dialect.LockWait;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.postgres.PostgresDialect;
import dev.flagway.schema.AuditEvent;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A transaction holds a row lock and another waits for it, on PostgreSQL, MariaDB and MySQL 8:
 * {@code locks} shows who blocks whom with wait and transaction age, {@code locks --table} shows the
 * sessions on the table, {@code kill} refuses a session that blocks no one and terminates the blocker,
 * audited, after which the waiting write goes through.
 */
class LocksAndKillCliTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB", "MYSQL8"})
    void locksShowsTheBlockerAndKillTerminatesItAudited(TestDatabase server) throws Exception {
        ExecutorService waiterThread = Executors.newSingleThreadExecutor();
        Connection blocker = null;
        try (Fixture f = new Fixture(server, dir, 3);
             Connection waiter = f.dataSource.getConnection()) {
            blocker = f.dataSource.getConnection();
            Dialect dialect = server == TestDatabase.POSTGRES ? new PostgresDialect() : MySqlDialect.detect(f.dataSource);
            long blockerId = sessionId(server, blocker);
            long waiterId = sessionId(server, waiter);
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.executeUpdate("UPDATE " + f.table + " SET email = 'held@example.com' WHERE id = 1");
            }
            CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
                try (Statement s = waiter.createStatement()) {
                    return s.executeUpdate("UPDATE " + f.table + " SET email = 'waited@example.com' WHERE id = 1");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, waiterThread);
            awaitWaiting(f, dialect, waiterId);

            Cli cli = new Cli();
            Object doc = JsonDoc.parse(cli.run(f.args("locks", "--format", "json")).exits(0).out());
            assertThat(at(doc, "server")).isEqualTo(server == TestDatabase.POSTGRES ? "postgres"
                    : server == TestDatabase.MARIADB ? "mariadb" : "mysql");
            Object wait = list(doc, "waits").stream().filter(w -> number(w, "blocked.id") == waiterId).findFirst()
                    .orElseThrow(() -> new AssertionError("no wait of session " + waiterId + " in " + doc));
            assertThat(at(wait, "blocked.lockWaitMillis")).isNotNull();
            assertThat(list(wait, "blockers")).anySatisfy(b -> {
                assertThat(number(b, "id")).isEqualTo(blockerId);
                assertThat(at(b, "transactionAgeMillis")).isNotNull();
            });
            String table = cli.run(f.args("locks")).exits(0).out();
            assertThat(table).contains("PID").contains("BLOCKED BY").contains("TXN AGE")
                    .containsPattern("(?m)^" + blockerId + "\\s+blocker")
                    .containsPattern("(?m)^" + waiterId + "\\s+waiting\\s+" + blockerId);

            Object onTable = JsonDoc.parse(cli.run(f.args("locks", "--table", f.table, "--format", "json")).exits(0).out());
            assertThat(at(onTable, "table")).isEqualTo(f.table);
            assertThat(list(onTable, "sessions")).anySatisfy(s -> assertThat(number(s, "id")).isEqualTo(blockerId));

            // never by default: a session that blocks no one is refused, and nothing is terminated
            String refused = cli.run(f.args("kill", Long.toString(waiterId), "--actor", "dba", "--reason", "test"))
                    .exits(2).oneErrorLine();
            assertThat(refused).contains("session " + waiterId + " blocks no session now");
            assertThat(blocked).isNotDone();

            Cli.Result killed = cli.run(f.args("kill", Long.toString(blockerId), "--actor", "dba on call",
                    "--reason", "INC-42 blocks checkout", "--migration", f.migration)).exits(0);
            assertThat(killed.out()).contains("terminated session " + blockerId)
                    .contains("audited as kill-session by dba on call: INC-42 blocks checkout");
            assertThat(blocked.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            List<AuditEvent> events = new JdbcAuditLog(f.dataSource).events(f.migration);
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("kill-session");
                assertThat(e.actor()).isEqualTo("dba on call");
                assertThat(e.detail()).contains("session " + blockerId).contains("reason: INC-42 blocks checkout");
            });
            assertThat(f.count("email = 'waited@example.com'")).isEqualTo(1);
        } finally {
            waiterThread.shutdownNow();
            closeKilled(blocker);
        }
    }

    /** Closes the killed blocker's connection; a driver may fail to roll back on a connection the server ended. */
    private static void closeKilled(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException expected) {
            // the server terminated it
        }
    }

    private static void awaitWaiting(Fixture f, Dialect dialect, long waiterId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = f.dataSource.getConnection()) {
            while (System.nanoTime() < deadline) {
                List<LockWait> waits = dialect.lockWaits(c);
                if (waits.stream().anyMatch(w -> w.blocked().id() == waiterId && !w.blockers().isEmpty())) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("session " + waiterId + " never waited for the lock");
    }

    private static long sessionId(TestDatabase server, Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                server == TestDatabase.POSTGRES ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
