package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.dialect.LockWait;
import dev.flagway.schema.SessionInfo;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Staged lock waits: the diagnostics name the blocker, and KILL happens only when asked. */
class LockDiagnosticsTest {
    private DataSource ds;
    private String table;

    @AfterEach
    void dropTable() throws Exception {
        if (table != null) {
            Sql.drop(ds, table);
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aRowLockWaitNamesTheTransactionHoldingTheRow(Server server) throws Exception {
        MySqlDialect dialect = setUp(server);
        try (Session holder = Session.open(ds); Session waiter = Session.open(ds); Connection inspector = ds.getConnection()) {
            holder.exec("START TRANSACTION", "UPDATE `" + table + "` SET v = 10 WHERE id = 1");
            waiter.exec("SET SESSION innodb_lock_wait_timeout = 30");
            var updated = waiter.execAsync("UPDATE `" + table + "` SET v = 20 WHERE id = 1");

            LockWait wait = awaitWaitOf(dialect, inspector, waiter.id());

            assertThat(wait.blockers()).extracting(SessionInfo::id).contains(holder.id());
            assertThat(wait.blocked().blockedBy()).contains(holder.id());
            assertThat(wait.blocked().lockMode()).contains("X").contains(table);
            assertThat(wait.blocked().query()).contains("SET v = 20");
            SessionInfo blocker = wait.blockers().stream().filter(b -> b.id() == holder.id()).findFirst().orElseThrow();
            assertThat(blocker.state()).isEqualTo("idle in transaction");
            assertThat(blocker.transactionAge()).isNotNull();
            holder.exec("ROLLBACK");
            updated.get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aMetadataLockWaitNamesTheOpenTransactionThatReadTheTable(Server server) throws Exception {
        MySqlDialect dialect = setUp(server);
        try (Session holder = Session.open(ds); Session alter = Session.open(ds); Connection inspector = ds.getConnection()) {
            holder.exec("START TRANSACTION", "SELECT COUNT(*) FROM `" + table + "`");
            alter.exec("SET SESSION lock_wait_timeout = 30");
            var altered = alter.execAsync("ALTER TABLE `" + table + "` ADD COLUMN w INT");

            LockWait wait = awaitWaitOf(dialect, inspector, alter.id());

            assertThat(wait.blockers()).extracting(SessionInfo::id).contains(holder.id());
            assertThat(wait.blocked().state()).containsIgnoringCase("metadata lock");
            assertThat(wait.blocked().lockWait()).isPositive();
            assertThat(dialect.lockHolders(inspector, DSL.name(table))).extracting(SessionInfo::id)
                    .contains(holder.id());
            if (dialect.server().metadataLockSource() != MetadataLockSource.PROCESSLIST) {
                assertThat(wait.blockers()).filteredOn(b -> b.id() == holder.id()).singleElement()
                        .extracting(SessionInfo::lockMode).asString().contains("SHARED_READ");
            }
            holder.exec("COMMIT");
            altered.get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void killingTheBlockerOnRequestReleasesTheWaiter(Server server) throws Exception {
        MySqlDialect dialect = setUp(server);
        try (Session holder = Session.open(ds); Session alter = Session.open(ds); Connection operator = ds.getConnection()) {
            holder.exec("START TRANSACTION", "SELECT COUNT(*) FROM `" + table + "`");
            alter.exec("SET SESSION lock_wait_timeout = 30");
            var altered = alter.execAsync("ALTER TABLE `" + table + "` ADD COLUMN w INT");
            awaitWaitOf(dialect, operator, alter.id());

            assertThat(dialect.kill(operator, holder.id())).isTrue();

            altered.get(10, TimeUnit.SECONDS);
            assertThat(Sql.columns(ds, table)).contains("w");
            assertThat(dialect.kill(operator, holder.id())).isFalse();
        }
    }

    private MySqlDialect setUp(Server server) throws Exception {
        ds = server.dataSource();
        table = Sql.table("locks");
        Sql.exec(ds, "CREATE TABLE `" + table + "` (id INT PRIMARY KEY, v INT)",
                "INSERT INTO `" + table + "` VALUES (1, 1), (2, 2)");
        return MySqlDialect.detect(ds);
    }

    private static LockWait awaitWaitOf(MySqlDialect dialect, Connection inspector, long sessionId) throws Exception {
        AtomicReference<Optional<LockWait>> found = new AtomicReference<>(Optional.empty());
        Session.await(Duration.ofSeconds(10), () -> {
            List<LockWait> waits = dialect.lockWaits(inspector);
            found.set(waits.stream().filter(w -> w.blocked().id() == sessionId).findFirst());
            return found.get().isPresent();
        });
        return found.get().orElseThrow(() -> new AssertionError("session " + sessionId + " never showed up as waiting"));
    }
}
